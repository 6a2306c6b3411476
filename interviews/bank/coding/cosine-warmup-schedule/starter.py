import numpy as np


def lr_schedule(steps: np.ndarray, base_lr: float, min_lr: float, warmup_steps: int, total_steps: int) -> np.ndarray:
    """Linear warm-up to base_lr, cosine decay to min_lr at total_steps, then min_lr; float64 (N,)."""
    raise NotImplementedError
