import torch


def smoothed_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, smoothing: float) -> torch.Tensor:
    log_probs = torch.log_softmax(logits, dim=-1)
    nll = -log_probs.gather(1, targets.unsqueeze(1)).squeeze(1)
    uniform = -log_probs.mean(dim=-1)  # cross-entropy against the uniform distribution
    return ((1.0 - smoothing) * nll + smoothing * uniform).mean()
