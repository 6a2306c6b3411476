import numpy as np


def random_case(rng: np.random.Generator, shape: list) -> dict[str, object]:
    d = shape[-1]
    return {
        "x": rng.normal(0.5, 2.0, size=tuple(shape)),
        "weight": rng.normal(1.0, 0.3, size=d),
        "bias": rng.normal(0.0, 0.3, size=d),
        "grad_output": rng.normal(0.0, 1.0, size=tuple(shape)),
    }
