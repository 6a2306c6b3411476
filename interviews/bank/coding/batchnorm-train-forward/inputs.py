import numpy as np


def random_case(rng: np.random.Generator, n: int, c: int, length: int, momentum: float) -> dict[str, object]:
    return {
        "x": rng.normal(1.0, 2.0, size=(n, c, length)),
        "gamma": rng.normal(1.0, 0.2, size=c),
        "beta": rng.normal(0.0, 0.2, size=c),
        "running_mean": rng.normal(0.0, 0.5, size=c),
        "running_var": rng.random(c) + 0.5,
        "momentum": float(momentum),
        "eps": 1e-5,
    }


def constant_channel(rng: np.random.Generator, n: int, c: int, length: int) -> dict[str, object]:
    case = random_case(rng, n, c, length, 0.1)
    case["x"][:, 0, :] = 3.0  # zero variance: y must be beta[0], running var decays toward 0
    return case
