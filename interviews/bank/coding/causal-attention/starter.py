import torch


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool) -> torch.Tensor:
    """softmax(q k^T / sqrt(D)) v with an optional causal mask; returns (B, H, Tq, Dv) float64."""
    raise NotImplementedError
