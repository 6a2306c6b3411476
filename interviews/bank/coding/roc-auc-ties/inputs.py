import numpy as np


def fixed(rng: np.random.Generator, y_true: list, scores: list) -> dict[str, object]:
    return {"y_true": np.array(y_true, dtype=np.int64), "scores": np.array(scores, dtype=np.float64)}


def random_case(rng: np.random.Generator, n: int, n_levels: int, shift: float) -> dict[str, object]:
    y = (rng.random(n) < 0.3).astype(np.int64)
    y[0], y[1] = 0, 1
    s = rng.normal(size=n) + shift * y
    if n_levels:
        # Few distinct values: many ties, also across classes.
        s = np.floor((s - s.min()) / (s.max() - s.min() + 1e-12) * n_levels)
    return {"y_true": y, "scores": s}
