import numpy as np


def random_case(
    rng: np.random.Generator, n: int, c: int, h: int, w: int, kernel: int, stride: int, levels: int
) -> dict[str, object]:
    x = rng.normal(size=(n, c, h, w))
    if levels:
        x = np.round(x * levels) / levels  # coarse values: many tied maxima
    return {"x": x, "kernel": int(kernel), "stride": int(stride)}
