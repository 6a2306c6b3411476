import numpy as np


def random_case(rng: np.random.Generator, rows: int, cols: int, scale: float) -> dict[str, object]:
    return {"x": rng.normal(0.0, scale, size=(rows, cols)).astype(np.float32)}
