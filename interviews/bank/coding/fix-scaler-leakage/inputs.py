import numpy as np


def random_case(
    rng: np.random.Generator, n: int, d: int, m: int, constant_feature: bool, test_shift: float = 0.0
) -> dict[str, object]:
    X = rng.normal(2.0, 3.0, size=(n, d))
    test_idx = rng.permutation(n)[:m].astype(np.int64)
    X[test_idx] += test_shift
    if constant_feature:
        # Constant over the training rows only; the test rows differ, so only a leaky scaler
        # sees a non-zero spread.
        X[:, 0] = 4.0
        X[test_idx, 0] = rng.normal(size=m)
    return {"X": X, "test_idx": test_idx}
