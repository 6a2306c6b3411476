import numpy as np


def fixed(rng: np.random.Generator, y_true: list, y_pred: list, num_classes: int) -> dict[str, object]:
    return {
        "y_true": np.array(y_true, dtype=np.int64),
        "y_pred": np.array(y_pred, dtype=np.int64),
        "num_classes": int(num_classes),
    }


def random_case(rng: np.random.Generator, n: int, num_classes: int) -> dict[str, object]:
    y_true = rng.integers(0, num_classes, size=n).astype(np.int64)
    noise = rng.integers(0, num_classes, size=n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, noise).astype(np.int64)
    return {"y_true": y_true, "y_pred": y_pred, "num_classes": int(num_classes)}
