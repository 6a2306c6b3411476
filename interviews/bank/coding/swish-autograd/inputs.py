import numpy as np


def swish_inputs(rng: np.random.Generator, shape: list[int], beta: float, scale: float = 2.0) -> dict[str, object]:
    return {
        "x": rng.normal(0.0, scale, size=tuple(shape)),
        "beta": np.array(beta, dtype=np.float64),
        "grad_output": rng.normal(0.0, 1.0, size=tuple(shape)),
    }
