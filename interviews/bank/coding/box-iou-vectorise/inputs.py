import numpy as np


def fixed(rng: np.random.Generator, a: list, b: list) -> dict[str, object]:
    return {
        "boxes_a": np.array(a, dtype=np.float64).reshape(-1, 4),
        "boxes_b": np.array(b, dtype=np.float64).reshape(-1, 4),
    }


def _boxes(rng: np.random.Generator, n: int) -> np.ndarray:
    xy = rng.uniform(0.0, 100.0, size=(n, 2))
    wh = rng.uniform(0.0, 30.0, size=(n, 2))
    return np.hstack([xy, xy + wh])


def random_case(rng: np.random.Generator, n: int, m: int) -> dict[str, object]:
    return {"boxes_a": _boxes(rng, n), "boxes_b": _boxes(rng, m)}
