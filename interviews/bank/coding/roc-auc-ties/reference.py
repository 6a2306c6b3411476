import numpy as np


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    # Mann-Whitney U with average ranks: each tied group shares the mean of its ranks,
    # which counts every positive-negative tie as exactly one half.
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    n = len(scores)
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_scores)) + 1]
    ends = np.r_[starts[1:], n]
    avg_rank = (starts + ends + 1) / 2.0  # ranks are 1-based: mean of start+1 .. end
    ranks = np.empty(n)
    ranks[order] = np.repeat(avg_rank, ends - starts)
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    u = ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
