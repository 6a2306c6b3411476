import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax of x along axis, without overflow for large logits."""
    raise NotImplementedError
