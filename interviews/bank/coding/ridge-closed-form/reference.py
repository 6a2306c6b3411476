import numpy as np


def ridge_fit(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool):
    if fit_intercept:
        # Centring removes the intercept from the penalised problem exactly.
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean
    else:
        Xc, yc = X, y
    d = X.shape[1]
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(d), Xc.T @ yc)
    b = float(y_mean - x_mean @ w) if fit_intercept else 0.0
    return w, b
