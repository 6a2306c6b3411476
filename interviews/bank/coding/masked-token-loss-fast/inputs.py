import numpy as np


def random_case(
    rng: np.random.Generator, b: int, t: int, v: int, scale: float, empty_row: bool = False
) -> dict[str, object]:
    lengths = rng.integers(1, t + 1, size=b)
    if empty_row:
        lengths[1] = 0
    mask = np.arange(t)[None, :] < lengths[:, None]
    return {
        "logits": rng.normal(0.0, scale, size=(b, t, v)),
        "targets": rng.integers(0, v, size=(b, t)).astype(np.int64),
        "mask": mask,
    }
