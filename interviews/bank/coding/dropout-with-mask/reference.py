import torch


def dropout(x: torch.Tensor, keep_mask: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    if not training:
        return x.clone()
    if p >= 1.0:
        return torch.zeros_like(x)
    return x * keep_mask.to(x.dtype) / (1.0 - p)
