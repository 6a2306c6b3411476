import torch
import torch.nn.functional as F


def conv2d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, stride: int, padding: int) -> torch.Tensor:
    stride, padding = int(stride), int(padding)
    n, _, h, w = x.shape
    o, c, kh, kw = weight.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)  # (N, C*kh*kw, L)
    out = weight.reshape(o, c * kh * kw) @ cols + bias[:, None]  # (N, O, L)
    return out.reshape(n, o, h_out, w_out)
