import numpy as np


def masked_logsumexp(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    vals = np.where(mask, x, -np.inf)
    row_max = vals.max(axis=1, initial=-np.inf)
    has_any = mask.any(axis=1)
    shift = np.where(has_any, row_max, 0.0)
    total = np.where(mask, np.exp(np.where(mask, x, 0.0) - shift[:, None]), 0.0).sum(axis=1)
    out = np.full(x.shape[0], -np.inf)
    out[has_any] = shift[has_any] + np.log(total[has_any])
    return out
