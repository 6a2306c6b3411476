import numpy as np


def fixed(rng: np.random.Generator, scores: list, relevance: list, k: int) -> dict[str, object]:
    return {
        "scores": np.array(scores, dtype=np.float64),
        "relevance": np.array(relevance, dtype=np.float64),
        "k": int(k),
    }


def random_case(rng: np.random.Generator, q: int, n: int, k: int, tie_levels: int) -> dict[str, object]:
    relevance = rng.integers(0, 4, size=(q, n)).astype(np.float64)
    scores = relevance + rng.normal(0.0, 1.5, size=(q, n))
    if tie_levels:
        scores = np.round(scores / tie_levels)
    return {"scores": scores, "relevance": relevance, "k": int(k)}
