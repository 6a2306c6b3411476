import numpy as np


def random_case(rng: np.random.Generator, shape: list, scale: float) -> dict[str, object]:
    x = rng.normal(3.0, scale, size=tuple(shape))
    return {"x": x, "grad_output": rng.normal(size=tuple(shape))}


def fixed(rng: np.random.Generator, x: list) -> dict[str, object]:
    arr = np.array(x, dtype=np.float64)
    return {"x": arr, "grad_output": rng.normal(size=arr.shape) + 2.0}
