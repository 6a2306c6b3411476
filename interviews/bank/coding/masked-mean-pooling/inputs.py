import numpy as np


def random_case(
    rng: np.random.Generator, b: int, t: int, d: int, empty_row: bool, pad_value: float
) -> dict[str, object]:
    lengths = rng.integers(1, t + 1, size=b)
    if empty_row:
        lengths[1] = 0
    mask = np.arange(t)[None, :] < lengths[:, None]
    hidden = rng.normal(size=(b, t, d))
    hidden[~mask] = pad_value
    return {"hidden": hidden, "mask": mask}
