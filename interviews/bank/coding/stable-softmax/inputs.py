import numpy as np


def fixed(rng: np.random.Generator, x: list, axis: int) -> dict[str, object]:
    return {"x": np.array(x, dtype=np.float64), "axis": axis}


def random_logits(rng: np.random.Generator, shape: list, scale: float, axis: int) -> dict[str, object]:
    return {"x": rng.normal(0.0, scale, size=tuple(shape)), "axis": axis}
