import torch


def sequence_losses(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    log_probs = torch.log_softmax(logits, dim=-1)
    nll = -log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)  # (B, T)
    m = mask.to(nll.dtype)
    # torch.where, not nll * m: a padding position could hold a huge or non-finite value.
    total = torch.where(mask, nll, torch.zeros_like(nll)).sum(dim=1)
    count = m.sum(dim=1)
    return total / count.clamp(min=1.0)
