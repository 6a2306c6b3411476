import numpy as np


def pairwise_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Euclidean distance between every row of X (N, D) and every row of Y (M, D): float64 (N, M)."""
    n, m = X.shape[0], Y.shape[0]
    out = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            diff = X[i] - Y[j]
            out[i, j] = np.sqrt(np.dot(diff, diff))
    return out
