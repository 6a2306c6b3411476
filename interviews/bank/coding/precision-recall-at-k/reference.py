import numpy as np


def precision_recall_at_k(scores: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    hits = np.take_along_axis(labels, top, axis=1).sum(axis=1).astype(np.float64)
    n_rel = labels.sum(axis=1).astype(np.float64)
    recall = np.zeros_like(hits)
    np.divide(hits, n_rel, out=recall, where=n_rel > 0)
    return hits / k, recall
