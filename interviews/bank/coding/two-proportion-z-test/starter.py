def two_proportion_z_test(conv_a: int, n_a: int, conv_b: int, n_b: int) -> tuple[float, float]:
    """Pooled two-proportion z-test; return (z, two-sided p-value)."""
    raise NotImplementedError
