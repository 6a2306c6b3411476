import numpy as np


def fixed(
    rng: np.random.Generator, conv_a: int, n_a: int, conv_b: int, n_b: int, prior_alpha: int, prior_beta: int
) -> dict[str, object]:
    return {
        "conv_a": int(conv_a),
        "n_a": int(n_a),
        "conv_b": int(conv_b),
        "n_b": int(n_b),
        "prior_alpha": int(prior_alpha),
        "prior_beta": int(prior_beta),
    }
