import numpy as np


def random_qkv(
    rng: np.random.Generator, b: int, h: int, tq: int, tk: int, d: int, dv: int, scale: float, causal: bool
) -> dict[str, object]:
    return {
        "q": rng.normal(0.0, scale, size=(b, h, tq, d)),
        "k": rng.normal(0.0, scale, size=(b, h, tk, d)),
        "v": rng.normal(0.0, 1.0, size=(b, h, tk, dv)),
        "causal": bool(causal),
    }
