import torch


def embedding_bag_mean(weight: torch.Tensor, indices: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
    m = indices.shape[0]
    b = offsets.shape[0]
    ends = torch.cat([offsets[1:], torch.tensor([m], dtype=torch.int64)])
    sizes = ends - offsets
    bag_of = torch.repeat_interleave(torch.arange(b), sizes)  # bag id of every index
    sums = torch.zeros((b, weight.shape[1]), dtype=weight.dtype).index_add(0, bag_of, weight[indices])
    return sums / sizes.clamp(min=1).unsqueeze(1).to(weight.dtype)
