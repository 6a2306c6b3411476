import numpy as np


def fixed(
    rng: np.random.Generator, X_train: list, y_train: list, X_test: list, k: int, num_classes: int
) -> dict[str, object]:
    return {
        "X_train": np.array(X_train, dtype=np.float64),
        "y_train": np.array(y_train, dtype=np.int64),
        "X_test": np.array(X_test, dtype=np.float64),
        "k": int(k),
        "num_classes": int(num_classes),
    }


def blobs(rng: np.random.Generator, n: int, m: int, d: int, k: int, num_classes: int) -> dict[str, object]:
    centres = rng.normal(0.0, 2.0, size=(num_classes, d))
    y = rng.integers(0, num_classes, size=n).astype(np.int64)
    X = centres[y] + rng.normal(size=(n, d))
    X_test = centres[rng.integers(0, num_classes, size=m)] + rng.normal(size=(m, d))
    return {"X_train": X, "y_train": y, "X_test": X_test, "k": int(k), "num_classes": int(num_classes)}
