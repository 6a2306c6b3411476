import numpy as np


def pairwise_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    sq = (X * X).sum(axis=1)[:, None] - 2.0 * (X @ Y.T) + (Y * Y).sum(axis=1)[None, :]
    np.maximum(sq, 0.0, out=sq)  # cancellation can leave -1e-15 for identical rows
    return np.sqrt(sq, out=sq)
