import numpy as np


def random_case(rng: np.random.Generator, shape: list, eps: float, offset: float) -> dict[str, object]:
    d = shape[-1]
    return {
        "x": rng.normal(offset, 2.0, size=tuple(shape)),
        "weight": rng.normal(1.0, 0.2, size=d),
        "bias": rng.normal(0.0, 0.2, size=d),
        "eps": float(eps),
    }


def constant_rows(rng: np.random.Generator, rows: int, d: int, eps: float) -> dict[str, object]:
    # Zero variance: the output must equal `bias` (0 / sqrt(eps)), not nan.
    x = np.repeat(rng.normal(0.0, 3.0, size=(rows, 1)), d, axis=1)
    return {"x": x, "weight": rng.normal(1.0, 0.2, size=d), "bias": rng.normal(0.0, 0.2, size=d), "eps": float(eps)}
