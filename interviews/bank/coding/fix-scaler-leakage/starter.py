import numpy as np


def split_and_scale(X: np.ndarray, test_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (X_train_scaled, X_test_scaled) standardised with training statistics."""
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    X_scaled = (X - mean) / std

    is_test = np.zeros(X.shape[0], dtype=bool)
    is_test[test_idx] = True
    return X_scaled[~is_test], X_scaled[test_idx]
