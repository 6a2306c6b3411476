import numpy as np


def _make(rng: np.random.Generator, lengths: np.ndarray, indices: np.ndarray, pad_value: int) -> dict[str, object]:
    flat = rng.integers(1, 10, size=int(lengths.sum())).astype(np.int64)
    return {"flat": flat, "lengths": lengths, "indices": indices, "pad_value": int(pad_value)}


def fixed(rng: np.random.Generator, lengths: list, indices: list, pad_value: int) -> dict[str, object]:
    return _make(rng, np.array(lengths, dtype=np.int64), np.array(indices, dtype=np.int64), pad_value)


def random_case(rng: np.random.Generator, n: int, max_len: int, batch: int, pad_value: int) -> dict[str, object]:
    lengths = rng.integers(0, max_len + 1, size=n).astype(np.int64)
    indices = rng.integers(0, n, size=batch).astype(np.int64)
    return _make(rng, lengths, indices, pad_value)
