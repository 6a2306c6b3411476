import numpy as np


def pairwise_sq_dists(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    diff = a[:, None, :] - b[None, :, :]
    return np.einsum("nmd,nmd->nm", diff, diff)
