import numpy as np


def points(rng: np.random.Generator, n: int, m: int, d: int) -> dict[str, object]:
    return {"a": rng.normal(size=(n, d)), "b": rng.normal(size=(m, d))}
