import torch


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor, ignore_index: int) -> torch.Tensor:
    """Mean cross-entropy over non-ignored positions; 0-d float64 tensor (0.0 if none remain)."""
    raise NotImplementedError
