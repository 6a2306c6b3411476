import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Evaluate on whichever side keeps exp() bounded.
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def logreg_step(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, l2: float):
    n = X.shape[0]
    z = X @ w + b
    # BCE from logits: log(1 + e^z) - y z, computed as logaddexp(0, z).
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * np.dot(w, w))
    err = _sigmoid(z) - y
    grad_w = X.T @ err / n + l2 * w
    grad_b = float(err.mean())
    return w - lr * grad_w, float(b - lr * grad_b), loss
