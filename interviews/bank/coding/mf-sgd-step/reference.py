import numpy as np


def mf_sgd_epoch(
    P: np.ndarray, Q: np.ndarray, users: np.ndarray, items: np.ndarray, ratings: np.ndarray, lr: float, reg: float
):
    P = P.copy()
    Q = Q.copy()
    for u, i, r in zip(users.tolist(), items.tolist(), ratings.tolist(), strict=True):
        pu, qi = P[u].copy(), Q[i].copy()
        e = r - pu @ qi
        P[u] = pu + lr * (e * qi - reg * pu)
        Q[i] = qi + lr * (e * pu - reg * qi)
    return P, Q
