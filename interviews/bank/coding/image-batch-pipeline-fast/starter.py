import numpy as np


def make_batch(images, offsets, flips, crop: int, mean, std) -> np.ndarray:
    """Crop, optionally flip, scale to [0, 1], normalise and transpose to (N, 3, crop, crop) float32."""
    out = []
    for n in range(images.shape[0]):
        top, left = int(offsets[n, 0]), int(offsets[n, 1])
        patch = images[n, top : top + crop, left : left + crop]
        if flips[n]:
            patch = patch[:, ::-1]
        chw = np.empty((3, crop, crop), dtype=np.float32)
        for c in range(3):
            for row in range(crop):
                chw[c, row] = (patch[row, :, c].astype(np.float32) / 255.0 - mean[c]) / std[c]
        out.append(chw)
    return np.stack(out)
