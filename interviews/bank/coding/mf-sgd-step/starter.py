import numpy as np


def mf_sgd_epoch(
    P: np.ndarray, Q: np.ndarray, users: np.ndarray, items: np.ndarray, ratings: np.ndarray, lr: float, reg: float
):
    """Sequential SGD over (user, item, rating) triples; return (P_new (U, K), Q_new (I, K))."""
    raise NotImplementedError
