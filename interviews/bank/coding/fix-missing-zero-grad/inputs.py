import numpy as np


def regression(
    rng: np.random.Generator, n: int, d: int, lr: float, n_epochs: int, batch_size: int
) -> dict[str, object]:
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + 0.5 + rng.normal(0.0, 0.1, size=n)
    return {
        "X": X,
        "y": y,
        "w0": rng.normal(0.0, 0.1, size=d),
        "b0": 0.0,
        "lr": float(lr),
        "n_epochs": int(n_epochs),
        "batch_size": int(batch_size),
    }
