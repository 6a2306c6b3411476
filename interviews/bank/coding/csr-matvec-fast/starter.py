import numpy as np


def csr_matvec(data, indices, indptr, x) -> np.ndarray:
    """y = A @ x for A in CSR form (data, indices, indptr); float64 (n_rows,)."""
    n_rows = len(indptr) - 1
    y = np.zeros(n_rows)
    for r in range(n_rows):
        total = 0.0
        for k in range(indptr[r], indptr[r + 1]):
            total += data[k] * x[indices[k]]
        y[r] = total
    return y
