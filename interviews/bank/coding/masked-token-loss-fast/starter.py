import torch


def sequence_losses(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean masked token cross-entropy per sequence (0.0 if no real token); float64 (B,)."""
    b, t, _ = logits.shape
    out = torch.zeros(b, dtype=torch.float64)
    for i in range(b):
        total, count = 0.0, 0
        for j in range(t):
            if mask[i, j]:
                log_probs = torch.log_softmax(logits[i, j], dim=-1)
                total += -float(log_probs[targets[i, j]])
                count += 1
        out[i] = total / count if count else 0.0
    return out
