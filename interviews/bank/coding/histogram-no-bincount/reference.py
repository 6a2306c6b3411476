import numpy as np


def histogram(values: np.ndarray, lo: float, hi: float, n_bins: int) -> np.ndarray:
    inside = (values >= lo) & (values <= hi)  # False for nan
    v = values[inside]
    idx = np.floor((v - lo) / (hi - lo) * n_bins).astype(np.int64)
    idx = np.minimum(idx, n_bins - 1)  # v == hi belongs to the last bin
    # Count by sorting: the count of bin i is the size of its run in the sorted indices.
    sorted_idx = np.sort(idx)
    edges = np.searchsorted(sorted_idx, np.arange(n_bins + 1), side="left")
    return np.diff(edges).astype(np.int64)
