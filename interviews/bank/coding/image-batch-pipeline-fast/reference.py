import numpy as np


def make_batch(images, offsets, flips, crop: int, mean, std) -> np.ndarray:
    n = images.shape[0]
    rows = offsets[:, 0, None] + np.arange(crop)[None, :]  # (N, crop)
    cols = offsets[:, 1, None] + np.arange(crop)[None, :]
    cols = np.where(flips[:, None], cols[:, ::-1], cols)  # a flip reverses the column order
    patches = images[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]  # (N, crop, crop, 3)
    x = patches.astype(np.float32) / np.float32(255.0)
    x = (x - mean.astype(np.float32)) / std.astype(np.float32)
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
