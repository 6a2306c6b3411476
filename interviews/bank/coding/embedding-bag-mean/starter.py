import torch


def embedding_bag_mean(weight: torch.Tensor, indices: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
    """Mean embedding per bag (zeros for empty bags); float64 (B, D)."""
    raise NotImplementedError
