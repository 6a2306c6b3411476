import numpy as np


def random_case(rng: np.random.Generator, b: int, d: int, h: int, scale: float) -> dict[str, object]:
    return {
        "x": rng.normal(size=(b, d)),
        "h": rng.normal(0.0, 0.5, size=(b, h)),
        "c": rng.normal(0.0, 0.5, size=(b, h)),
        "w_ih": rng.normal(0.0, scale, size=(4 * h, d)),
        "w_hh": rng.normal(0.0, scale, size=(4 * h, h)),
        "b_ih": rng.normal(0.0, 0.1, size=4 * h),
        "b_hh": rng.normal(0.0, 0.1, size=4 * h),
    }
