import numpy as np


def csr_matvec(data, indices, indptr, x) -> np.ndarray:
    n_rows = len(indptr) - 1
    row_of = np.repeat(np.arange(n_rows), np.diff(indptr))  # row id of every non-zero
    return np.bincount(row_of, weights=data * x[indices], minlength=n_rows).astype(np.float64)
