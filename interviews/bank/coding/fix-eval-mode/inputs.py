import numpy as np


def mlp_case(rng: np.random.Generator, n: int, d: int, h: int, m: int, n_steps: int) -> dict[str, object]:
    X = rng.normal(size=(n, d))
    y = np.tanh(X @ rng.normal(size=d)) + rng.normal(0.0, 0.05, size=n)
    return {
        "X": X,
        "y": y,
        "X_test": rng.normal(size=(m, d)),
        "w1": rng.normal(0.0, 1.0 / np.sqrt(d), size=(h, d)),
        "b1": np.zeros(h),
        "w2": rng.normal(0.0, 1.0 / np.sqrt(h), size=(1, h)),
        "b2": np.zeros(1),
        "lr": 0.05,
        "n_steps": int(n_steps),
    }
