import numpy as np


def regression(rng: np.random.Generator, n: int, d: int, batch_size: int, accum_steps: int) -> dict[str, object]:
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) - 1.0 + rng.normal(0.0, 0.1, size=n)
    return {
        "X": X,
        "y": y,
        "w0": rng.normal(0.0, 0.1, size=d),
        "b0": 0.0,
        "lr": 0.05,
        "batch_size": int(batch_size),
        "accum_steps": int(accum_steps),
    }
