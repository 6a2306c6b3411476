import numpy as np


def random_case(
    rng: np.random.Generator, n: int, c: int, scale: float, ignore_index: int, frac_ignored: float
) -> dict[str, object]:
    logits = rng.normal(0.0, scale, size=(n, c))
    targets = rng.integers(0, c, size=n).astype(np.int64)
    ignored = rng.random(n) < frac_ignored
    targets[ignored] = ignore_index
    return {"logits": logits, "targets": targets, "ignore_index": int(ignore_index)}
