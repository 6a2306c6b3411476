import numpy as np


def split_and_scale(X: np.ndarray, test_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    is_test = np.zeros(X.shape[0], dtype=bool)
    is_test[test_idx] = True
    X_train, X_test = X[~is_test], X[test_idx]
    # Statistics from the training rows only: the test rows must not influence preprocessing.
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_train - mean) / std, (X_test - mean) / std
