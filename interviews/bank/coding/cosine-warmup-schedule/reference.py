import numpy as np


def lr_schedule(steps: np.ndarray, base_lr: float, min_lr: float, warmup_steps: int, total_steps: int) -> np.ndarray:
    s = steps.astype(np.float64)
    progress = np.clip((s - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * progress))
    if warmup_steps > 0:
        return np.where(s < warmup_steps, base_lr * s / warmup_steps, cosine)
    return cosine
