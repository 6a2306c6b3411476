import numpy as np


def random_case(rng: np.random.Generator, n: int, size: int, crop: int, all_flip: bool = False) -> dict[str, object]:
    return {
        "images": rng.integers(0, 256, size=(n, size, size, 3)).astype(np.uint8),
        "offsets": rng.integers(0, size - crop + 1, size=(n, 2)).astype(np.int64),
        "flips": np.ones(n, dtype=bool) if all_flip else rng.random(n) < 0.5,
        "crop": int(crop),
        "mean": np.array([0.485, 0.456, 0.406], dtype=np.float32),
        "std": np.array([0.229, 0.224, 0.225], dtype=np.float32),
    }
