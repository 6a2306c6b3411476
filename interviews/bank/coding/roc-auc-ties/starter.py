import numpy as np


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """P(score of a random positive > a random negative), ties counted 1/2; O(N log N)."""
    raise NotImplementedError
