import math


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def prob_b_beats_a(conv_a: int, n_a: int, conv_b: int, n_b: int, prior_alpha: int, prior_beta: int) -> float:
    a_a, b_a = prior_alpha + conv_a, prior_beta + n_a - conv_a
    a_b, b_b = prior_alpha + conv_b, prior_beta + n_b - conv_b
    # Exact for an integer a_b: P(p_B > p_A) = sum_{i < a_b} B(a_a + i, b_a + b_b) /
    # ((b_b + i) B(1 + i, b_b) B(a_a, b_a)); every term is evaluated in log space.
    total = 0.0
    for i in range(a_b):
        total += math.exp(
            _log_beta(a_a + i, b_a + b_b) - math.log(b_b + i) - _log_beta(1 + i, b_b) - _log_beta(a_a, b_a)
        )
    return float(total)
