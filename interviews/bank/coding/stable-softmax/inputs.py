import numpy as np


def random_logits(rng: np.random.Generator, shape: list[int], scale: float, axis: int = -1) -> dict[str, object]:
    return {"x": rng.normal(0.0, scale, size=tuple(shape)), "axis": axis}
