import numpy as np


def fixed(
    rng: np.random.Generator, steps: list, base_lr: float, min_lr: float, warmup_steps: int, total_steps: int
) -> dict[str, object]:
    return {
        "steps": np.array(steps, dtype=np.int64),
        "base_lr": float(base_lr),
        "min_lr": float(min_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
    }


def random_case(
    rng: np.random.Generator, n: int, base_lr: float, min_lr: float, warmup_steps: int, total_steps: int
) -> dict[str, object]:
    steps = rng.integers(0, int(total_steps * 1.2), size=n).astype(np.int64)
    return fixed(rng, steps.tolist(), base_lr, min_lr, warmup_steps, total_steps)
