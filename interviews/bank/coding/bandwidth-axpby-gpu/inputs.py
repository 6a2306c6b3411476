import numpy as np


def random_case(rng: np.random.Generator, n: int, alpha: float, beta: float) -> dict[str, object]:
    return {
        "alpha": alpha,
        "x": rng.normal(size=n).astype(np.float32),
        "beta": beta,
        "y": rng.normal(size=n).astype(np.float32),
    }
