import numpy as np


def random_case(
    rng: np.random.Generator, n: int, c: int, h: int, w: int, o: int, kh: int, kw: int, stride: int, padding: int
) -> dict[str, object]:
    return {
        "x": rng.normal(size=(n, c, h, w)),
        "weight": rng.normal(size=(o, c, kh, kw)),
        "bias": rng.normal(size=o),
        "stride": int(stride),
        "padding": int(padding),
    }
