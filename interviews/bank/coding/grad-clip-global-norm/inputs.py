import numpy as np


def random_case(rng: np.random.Generator, scale: float, max_norm: float) -> dict[str, object]:
    return {
        "g_a": rng.normal(0.0, 1.0, size=(3, 4)) * scale,
        "g_b": rng.normal(0.0, 1.0, size=(5,)) * scale,
        "g_c": rng.normal(0.0, 1.0, size=(2, 2, 2)) * scale,
        "max_norm": float(max_norm),
    }
