import math

import torch


def padded_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    allowed = key_mask[:, None, None, :]  # (B, 1, 1, Tk)
    # Masked scores are excluded from the max too, so an all-masked row stays finite here.
    scores = torch.where(allowed, scores, torch.full_like(scores, -torch.inf))
    row_max = scores.amax(dim=-1, keepdim=True)
    row_max = torch.where(torch.isfinite(row_max), row_max, torch.zeros_like(row_max))
    weights = torch.exp(scores - row_max)  # exp(-inf) = 0 for masked keys
    denom = weights.sum(dim=-1, keepdim=True)
    weights = weights / denom.clamp(min=torch.finfo(weights.dtype).tiny)  # all-masked row: 0 / tiny = 0
    return weights @ v
