import numpy as np


def ndcg_at_k(scores: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    q, n = scores.shape
    k = min(k, n)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    gains = 2.0 ** np.take_along_axis(relevance, order, axis=1) - 1.0
    dcg = gains @ discount
    ideal = -np.sort(-relevance, axis=1)[:, :k]
    idcg = (2.0**ideal - 1.0) @ discount
    out = np.zeros(q)
    nz = idcg > 0
    out[nz] = dcg[nz] / idcg[nz]
    return out
