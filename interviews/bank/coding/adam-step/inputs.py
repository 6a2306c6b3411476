import numpy as np


def random_case(rng: np.random.Generator, p: int, t: int, weight_decay: float, zero_state: bool) -> dict[str, object]:
    m = np.zeros(p) if zero_state else rng.normal(0.0, 0.1, size=p)
    v = np.zeros(p) if zero_state else rng.random(p) * 0.01
    return {
        "param": rng.normal(size=p),
        "grad": rng.normal(size=p),
        "m": m,
        "v": v,
        "t": int(t),
        "lr": 1e-3,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
        "weight_decay": float(weight_decay),
    }


def zero_grad_case(rng: np.random.Generator, p: int) -> dict[str, object]:
    # m = v = 0 and g = 0: the update must be exactly 0 (0 / (0 + eps)), not nan.
    case = random_case(rng, p, 1, 0.0, True)
    case["grad"] = np.zeros(p)
    return case
