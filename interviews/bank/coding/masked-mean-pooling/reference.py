import torch


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    # where(), not hidden * mask: inf * 0 and nan * 0 are nan, so multiplying by the mask
    # would let padding leak into the mean.
    kept = torch.where(mask.unsqueeze(-1), hidden, torch.zeros_like(hidden))
    count = mask.sum(dim=1, keepdim=True).to(hidden.dtype)
    return kept.sum(dim=1) / count.clamp(min=1.0)
