import torch


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens per sequence (zeros if none); float64 (B, D)."""
    raise NotImplementedError
