import torch


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Causal scaled dot-product attention; q, k, v are (batch, seq, d)."""
    raise NotImplementedError
