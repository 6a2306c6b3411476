import numpy as np


def precision_recall_at_k(scores: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (precision@k, recall@k), float64 (Q,) each; ties in score: lower index first."""
    raise NotImplementedError
