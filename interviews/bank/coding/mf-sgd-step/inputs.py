import numpy as np


def _case(rng, u, i, k, users, items):
    P = rng.normal(0.0, 0.5, size=(u, k))
    Q = rng.normal(0.0, 0.5, size=(i, k))
    ratings = rng.integers(1, 6, size=len(users)).astype(np.float64)
    return {"P": P, "Q": Q, "users": users, "items": items, "ratings": ratings, "lr": 0.05, "reg": 0.02}


def random_case(rng: np.random.Generator, u: int, i: int, k: int, b: int, unique: bool) -> dict[str, object]:
    if unique:
        users = rng.permutation(u)[:b].astype(np.int64)
        items = rng.permutation(i)[:b].astype(np.int64)
    else:
        users = rng.integers(0, u, size=b).astype(np.int64)
        items = rng.integers(0, i, size=b).astype(np.int64)
    return _case(rng, u, i, k, users, items)


def repeated(rng: np.random.Generator, k: int) -> dict[str, object]:
    # The same (user, item) pair three times in a row, then the user with another item.
    return _case(rng, 2, 3, k, np.array([0, 0, 0, 0, 1], dtype=np.int64), np.array([1, 1, 1, 2, 1], dtype=np.int64))
