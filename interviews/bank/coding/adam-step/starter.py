import numpy as np


def adam_step(
    param: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
):
    """Return (param_new, m_new, v_new), float64 (P,) each; L2 decay is added to the gradient."""
    raise NotImplementedError
