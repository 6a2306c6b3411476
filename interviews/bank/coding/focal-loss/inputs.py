import numpy as np


def fixed(rng: np.random.Generator, logits: list, targets: list, alpha: float, gamma: float) -> dict[str, object]:
    return {
        "logits": np.array(logits, dtype=np.float64),
        "targets": np.array(targets, dtype=np.float64),
        "alpha": float(alpha),
        "gamma": float(gamma),
    }


def random_case(rng: np.random.Generator, n: int, scale: float, alpha: float, gamma: float) -> dict[str, object]:
    return {
        "logits": rng.normal(0.0, scale, size=n),
        "targets": (rng.random(n) < 0.3).astype(np.float64),
        "alpha": float(alpha),
        "gamma": float(gamma),
    }
