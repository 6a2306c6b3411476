import numpy as np


def fixed(rng: np.random.Generator, v: int, d: int, indices: list, offsets: list) -> dict[str, object]:
    return {
        "weight": rng.normal(size=(v, d)),
        "indices": np.array(indices, dtype=np.int64),
        "offsets": np.array(offsets, dtype=np.int64),
    }


def random_case(rng: np.random.Generator, v: int, d: int, b: int, max_bag: int) -> dict[str, object]:
    sizes = rng.integers(0, max_bag + 1, size=b)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return {
        "weight": rng.normal(size=(v, d)),
        "indices": rng.integers(0, v, size=int(sizes.sum())).astype(np.int64),
        "offsets": offsets,
    }
