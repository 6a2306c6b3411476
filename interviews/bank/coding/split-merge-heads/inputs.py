import numpy as np


def random_case(rng: np.random.Generator, b: int, t: int, num_heads: int, dh: int) -> dict[str, object]:
    return {
        "x": rng.normal(size=(b, t, num_heads * dh)),
        "h": rng.normal(size=(b, num_heads, t, dh)),
        "num_heads": int(num_heads),
    }
