import numpy as np


def _to_csr(dense: np.ndarray, rng: np.random.Generator) -> dict[str, object]:
    rows, cols = np.nonzero(dense)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=dense.shape[0]))]).astype(np.int64)
    return {
        "data": dense[rows, cols].astype(np.float64),
        "indices": cols.astype(np.int64),
        "indptr": indptr,
        "x": rng.normal(size=dense.shape[1]),
    }


def fixed(rng: np.random.Generator, dense: list) -> dict[str, object]:
    return _to_csr(np.array(dense, dtype=np.float64), rng)


def random_case(rng: np.random.Generator, n_rows: int, n_cols: int, density: float) -> dict[str, object]:
    nnz_per_row = rng.binomial(n_cols, density, size=n_rows)
    indptr = np.concatenate([[0], np.cumsum(nnz_per_row)]).astype(np.int64)
    nnz = int(indptr[-1])
    return {
        "data": rng.normal(size=nnz),
        "indices": rng.integers(0, n_cols, size=nnz).astype(np.int64),
        "indptr": indptr,
        "x": rng.normal(size=n_cols),
    }
