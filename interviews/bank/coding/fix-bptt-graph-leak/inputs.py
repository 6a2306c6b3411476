import numpy as np


def sequence(rng: np.random.Generator, t: int, d: int, h: int, chunk: int) -> dict[str, object]:
    X = rng.normal(size=(t, d))
    y = np.sin(np.cumsum(X[:, 0]) * 0.3)
    return {
        "X": X,
        "y": y,
        "w_x": rng.normal(0.0, 0.5, size=(d, h)),
        "w_h": rng.normal(0.0, 0.3, size=(h, h)),
        "w_o": rng.normal(0.0, 0.5, size=h),
        "h0": np.zeros(h),
        "lr": 0.05,
        "chunk": int(chunk),
    }
