import numpy as np


def random_case(rng: np.random.Generator, n: int, c: int, scale: float, smoothing: float) -> dict[str, object]:
    targets = rng.integers(0, c, size=n).astype(np.int64)
    logits = rng.normal(0.0, scale, size=(n, c))
    # Like a trained model: the target class usually has a high logit.
    logits[np.arange(n), targets] += 2.0 * scale
    return {
        "logits": logits,
        "targets": targets,
        "smoothing": float(smoothing),
    }
