import torch


def reshape_heads(x: torch.Tensor, h: torch.Tensor, num_heads: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (split_heads(x) as (B, H, T, Dh), merge_heads(h) as (B, T, H * Dh))."""
    raise NotImplementedError
