import math


def two_proportion_z_test(conv_a: int, n_a: int, conv_b: int, n_b: int) -> tuple[float, float]:
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b))
    if se == 0.0:
        return 0.0, 1.0
    z = (conv_b / n_b - conv_a / n_a) / se
    # erfc keeps full relative precision far in the tail, where 1 - cdf would round to 0.
    return float(z), float(math.erfc(abs(z) / math.sqrt(2.0)))
