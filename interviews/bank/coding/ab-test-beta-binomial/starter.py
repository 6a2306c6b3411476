def prob_b_beats_a(conv_a: int, n_a: int, conv_b: int, n_b: int, prior_alpha: int, prior_beta: int) -> float:
    """P(p_B > p_A) under independent Beta posteriors, accurate to 1e-7."""
    raise NotImplementedError
