import numpy as np


def logreg_step(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, l2: float):
    """Return (w_new float64 (D,), b_new float, loss float at the current parameters)."""
    raise NotImplementedError
