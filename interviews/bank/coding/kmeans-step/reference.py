import numpy as np


def kmeans_step(X: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Direct differences (not the |x|^2 - 2xc + |c|^2 expansion) so exact ties stay exact.
    dist = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1)
    labels = np.argmin(dist, axis=1).astype(np.int64)
    k = centroids.shape[0]
    new = centroids.copy()
    for j in range(k):
        members = X[labels == j]
        if len(members):
            new[j] = members.mean(axis=0)
    return labels, new
