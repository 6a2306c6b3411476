import numpy as np


def random_case(rng: np.random.Generator, o: int, i: int, zero_row: bool) -> dict[str, object]:
    w = rng.normal(0.0, 0.05, size=(o, i)) * rng.uniform(0.5, 4.0, size=(o, 1))
    if zero_row:
        w[1] = 0.0
    return {"w": w}


def fixed(rng: np.random.Generator, w: list) -> dict[str, object]:
    return {"w": np.array(w, dtype=np.float64)}
