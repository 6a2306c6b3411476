import numpy as np


def random_case(rng: np.random.Generator, p: int, s: int, decay: float, start_step: int) -> dict[str, object]:
    drift = np.cumsum(rng.normal(0.0, 0.1, size=(s, p)), axis=0)
    return {
        "ema": rng.normal(size=p),
        "params": rng.normal(size=p) + drift,
        "decay": float(decay),
        "start_step": int(start_step),
    }
