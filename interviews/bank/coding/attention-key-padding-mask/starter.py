import torch


def padded_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
    """Attention ignoring padding keys; zeros for items without real keys. (B, H, Tq, Dv) float64."""
    raise NotImplementedError
