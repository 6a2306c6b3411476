import numpy as np


def blobs(rng: np.random.Generator, n: int, d: int, k: int) -> dict[str, object]:
    centres = rng.normal(0.0, 5.0, size=(k, d))
    X = centres[rng.integers(0, k, size=n)] + rng.normal(size=(n, d))
    return {"X": X, "centroids": X[rng.choice(n, size=k, replace=False)] + 0.1}


def far_centroid(rng: np.random.Generator, n: int, d: int) -> dict[str, object]:
    X = rng.normal(size=(n, d))
    centroids = np.vstack([rng.normal(size=(2, d)), np.full((1, d), 100.0)])
    return {"X": X, "centroids": centroids}


def duplicate_centroids(rng: np.random.Generator, n: int, d: int) -> dict[str, object]:
    X = rng.normal(size=(n, d))
    c = rng.normal(size=(1, d))
    # Centroids 1 and 2 coincide: every tie goes to index 1, so centroid 2 is empty and stays.
    return {"X": X, "centroids": np.vstack([c + 3.0, c, c])}
