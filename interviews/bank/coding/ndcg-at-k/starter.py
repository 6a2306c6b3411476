import numpy as np


def ndcg_at_k(scores: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    """NDCG@k per query (gain 2**rel - 1, ties in score keep lower index first); float64 (Q,)."""
    raise NotImplementedError
