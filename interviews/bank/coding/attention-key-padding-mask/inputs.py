import numpy as np


def random_case(
    rng: np.random.Generator, b: int, h: int, tq: int, tk: int, d: int, dv: int, lengths: list, scale: float = 1.0
) -> dict[str, object]:
    key_mask = np.arange(tk)[None, :] < np.array(lengths)[:, None]
    return {
        "q": rng.normal(0.0, scale, size=(b, h, tq, d)),
        "k": rng.normal(0.0, scale, size=(b, h, tk, d)),
        "v": rng.normal(size=(b, h, tk, dv)),
        "key_mask": key_mask,
    }
