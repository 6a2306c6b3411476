import numpy as np


def fixed(rng: np.random.Generator, logits: list, k: int) -> dict[str, object]:
    return {"logits": np.array(logits, dtype=np.float64), "k": int(k)}


def random_case(rng: np.random.Generator, b: int, v: int, k: int) -> dict[str, object]:
    return {"logits": rng.normal(0.0, 2.0, size=(b, v)), "k": int(k)}
