import torch


def segment_sum(values: torch.Tensor, segment_ids: torch.Tensor, num_segments: int) -> torch.Tensor:
    """Sum rows of `values` per segment id; float64 (num_segments, D)."""
    raise NotImplementedError
