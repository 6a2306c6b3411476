import numpy as np


def random_case(rng: np.random.Generator, shape: list, p: float, training: bool) -> dict[str, object]:
    shape_t = tuple(shape)
    # With p == 1 nothing is kept; with p == 0 everything is.
    keep = rng.random(shape_t) >= p
    return {"x": rng.normal(size=shape_t), "keep_mask": keep, "p": float(p), "training": bool(training)}
