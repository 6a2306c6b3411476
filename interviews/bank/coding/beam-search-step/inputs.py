import numpy as np


def random_case(
    rng: np.random.Generator, b: int, k: int, v: int, first_step: bool, round_to: float
) -> dict[str, object]:
    logits = rng.normal(0.0, 2.0, size=(b, k, v))
    if round_to:
        # Coarse values make many exactly equal candidate scores.
        logits = np.round(logits / round_to) * round_to
        log_probs = logits - 3.0
        scores = np.round(rng.normal(-2.0, 1.0, size=(b, k)))
    else:
        log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        scores = rng.normal(-3.0, 1.0, size=(b, k))
    if first_step:
        scores = np.full((b, k), -np.inf)
        scores[:, 0] = 0.0
    return {"beam_scores": scores, "log_probs": log_probs}
