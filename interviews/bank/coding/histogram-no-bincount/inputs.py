import numpy as np


def fixed(rng: np.random.Generator, values: list, lo: float, hi: float, n_bins: int) -> dict[str, object]:
    return {"values": np.array(values, dtype=np.float64), "lo": float(lo), "hi": float(hi), "n_bins": int(n_bins)}


def random_case(rng: np.random.Generator, n: int, lo: float, hi: float, n_bins: int) -> dict[str, object]:
    return {"values": rng.normal(0.0, 1.2, size=n), "lo": float(lo), "hi": float(hi), "n_bins": int(n_bins)}
