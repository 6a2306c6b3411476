import torch


def segment_sum(values: torch.Tensor, segment_ids: torch.Tensor, num_segments: int) -> torch.Tensor:
    out = torch.zeros((num_segments, values.shape[1]), dtype=values.dtype)
    return out.index_add(0, segment_ids, values)
