import numpy as np


def random_case(rng: np.random.Generator, n: int, m: int, d: int, duplicate: bool) -> dict[str, object]:
    X = rng.normal(size=(n, d))
    Y = rng.normal(size=(m, d))
    if duplicate:
        k = min(n, m) // 2
        Y[:k] = X[:k]  # exact zero distances
    return {"X": X, "Y": Y}
