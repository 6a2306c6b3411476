import numpy as np


def random_case(
    rng: np.random.Generator, b: int, c_in: int, c_out: int, t: int, k: int, dilation: int
) -> dict[str, object]:
    return {
        "x": rng.normal(size=(b, c_in, t)),
        "weight": rng.normal(size=(c_out, c_in, k)),
        "bias": rng.normal(size=c_out),
        "dilation": int(dilation),
    }
