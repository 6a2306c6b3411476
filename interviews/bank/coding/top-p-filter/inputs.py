import numpy as np


def fixed(rng: np.random.Generator, logits: list, p: float) -> dict[str, object]:
    return {"logits": np.array(logits, dtype=np.float64), "p": float(p)}


def random_case(rng: np.random.Generator, b: int, v: int, p: float, scale: float) -> dict[str, object]:
    return {"logits": rng.normal(0.0, scale, size=(b, v)), "p": float(p)}
