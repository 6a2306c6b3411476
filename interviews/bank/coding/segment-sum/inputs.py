import numpy as np


def fixed_ids(rng: np.random.Generator, ids: list, d: int) -> dict[str, object]:
    seg = np.array(ids, dtype=np.int64)
    return {"values": rng.normal(size=(len(ids), d)), "segment_ids": seg, "num_segments": int(seg.max()) + 1}


def random_case(rng: np.random.Generator, n: int, d: int, num_segments: int) -> dict[str, object]:
    return {
        "values": rng.normal(size=(n, d)),
        "segment_ids": rng.integers(0, num_segments, size=n).astype(np.int64),
        "num_segments": int(num_segments),
    }
