import numpy as np


def max_pool2d(x: np.ndarray, kernel: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
    n, c, h, w = x.shape
    h_out = (h - kernel) // stride + 1
    w_out = (w - kernel) // stride + 1
    best = np.full((n, c, h_out, w_out), -np.inf)
    best_idx = np.zeros((n, c, h_out, w_out), dtype=np.int64)
    rows0 = np.arange(h_out) * stride
    cols0 = np.arange(w_out) * stride
    # Visit window offsets in row-major order; a strict ">" keeps the first of equal maxima.
    for di in range(kernel):
        for dj in range(kernel):
            vals = x[:, :, rows0[:, None] + di, cols0[None, :] + dj]
            better = vals > best
            best = np.where(better, vals, best)
            flat = (rows0[:, None] + di) * w + (cols0[None, :] + dj)
            best_idx = np.where(better, flat, best_idx)
    return best, best_idx
