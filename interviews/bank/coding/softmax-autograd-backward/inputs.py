import numpy as np


def random_case(rng: np.random.Generator, shape: list, scale: float) -> dict[str, object]:
    return {"x": rng.normal(0.0, scale, size=tuple(shape)), "grad_output": rng.normal(size=tuple(shape))}
