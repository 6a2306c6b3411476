import torch


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor, ignore_index: int) -> torch.Tensor:
    keep = targets != ignore_index
    if not bool(keep.any()):
        return torch.zeros((), dtype=logits.dtype)
    kept_logits = logits[keep]
    kept_targets = targets[keep]
    # log-sum-exp with the row max factored out, so exp never overflows.
    m = kept_logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(kept_logits - m).sum(dim=1))
    picked = kept_logits.gather(1, kept_targets.unsqueeze(1)).squeeze(1)
    return (lse - picked).mean()
