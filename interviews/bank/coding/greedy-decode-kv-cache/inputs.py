import numpy as np


def random_model(
    rng: np.random.Generator, vocab: int, d: int, max_pos: int, t0: int, n_steps: int
) -> dict[str, object]:
    s = 1.0 / np.sqrt(d)
    return {
        "embed": rng.normal(size=(vocab, d)),
        "pos": rng.normal(0.0, 0.5, size=(max_pos, d)),
        "w_q": rng.normal(0.0, s, size=(d, d)),
        "w_k": rng.normal(0.0, s, size=(d, d)),
        "w_v": rng.normal(0.0, s, size=(d, d)),
        "w_out": rng.normal(0.0, s, size=(d, vocab)),
        "prompt": rng.integers(0, vocab, size=t0).astype(np.int64),
        "n_steps": int(n_steps),
    }
