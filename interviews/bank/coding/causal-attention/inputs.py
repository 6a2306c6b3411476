import numpy as np


def qkv(rng: np.random.Generator, batch: int, seq: int, d: int, scale: float = 1.0) -> dict[str, object]:
    shape = (batch, seq, d)
    return {name: (rng.normal(0.0, scale, size=shape)).astype(np.float32) for name in ("q", "k", "v")}
