import numpy as np


def random_case(rng: np.random.Generator, n: int, d: int, scale: float, l2: float) -> dict[str, object]:
    X = rng.normal(0.0, scale, size=(n, d))
    w = rng.normal(size=d)
    y = (rng.random(n) < 0.5).astype(np.float64)
    return {"X": X, "y": y, "w": w, "b": float(rng.normal()), "lr": 0.1, "l2": float(l2)}
