import numpy as np


def masked_logsumexp(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Stable log-sum-exp over the masked entries of each row; -inf for empty rows. float64 (R,)."""
    raise NotImplementedError
