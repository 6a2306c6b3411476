import numpy as np


def fixed(rng: np.random.Generator, x: list, mask: list) -> dict[str, object]:
    return {"x": np.array(x, dtype=np.float64), "mask": np.array(mask, dtype=bool)}


def random_case(
    rng: np.random.Generator, r: int, c: int, scale: float, garbage: bool, empty_row: bool
) -> dict[str, object]:
    x = rng.normal(0.0, scale, size=(r, c))
    mask = rng.random((r, c)) < 0.6
    mask[:, 0] = True
    if empty_row:
        mask[1] = False
    if garbage:
        x[~mask] = np.where(rng.random(int((~mask).sum())) < 0.5, np.nan, np.inf)
    return {"x": x, "mask": mask}
