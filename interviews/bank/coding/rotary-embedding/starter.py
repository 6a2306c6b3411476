import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """Rotate feature pairs (i, i + D/2) by positions[t] * base**(-2i/D); same shape as x."""
    raise NotImplementedError
