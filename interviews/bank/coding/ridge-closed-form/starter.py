import numpy as np


def ridge_fit(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool):
    """Return (w float64 (D,), b float); the intercept is not penalised."""
    raise NotImplementedError
