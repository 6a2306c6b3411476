import numpy as np


def random_case(
    rng: np.random.Generator, b: int, h: int, t: int, d: int, offset: int, base: float
) -> dict[str, object]:
    return {
        "x": rng.normal(size=(b, h, t, d)),
        "positions": np.arange(offset, offset + t, dtype=np.int64),
        "base": float(base),
    }
