import numpy as np


def random_case(
    rng: np.random.Generator, n: int, d: int, alpha: float, fit_intercept: bool, y_offset: float
) -> dict[str, object]:
    X = rng.normal(2.0, 1.5, size=(n, d))
    y = X @ rng.normal(size=d) + y_offset + rng.normal(0.0, 0.1, size=n)
    return {"X": X, "y": y, "alpha": float(alpha), "fit_intercept": bool(fit_intercept)}
