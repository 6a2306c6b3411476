import numpy as np


def fixed(rng: np.random.Generator, scores: list, labels: list, k: int) -> dict[str, object]:
    return {"scores": np.array(scores, dtype=np.float64), "labels": np.array(labels, dtype=np.int64), "k": int(k)}


def random_case(rng: np.random.Generator, q: int, n: int, k: int, levels: int) -> dict[str, object]:
    labels = (rng.random((q, n)) < 0.2).astype(np.int64)
    labels[0] = 0  # one user with no relevant item
    scores = labels * 0.8 + rng.normal(size=(q, n))
    if levels:
        scores = np.round(scores * levels) / levels
    return {"scores": scores, "labels": labels, "k": int(k)}
