import torch


def reshape_heads(x: torch.Tensor, h: torch.Tensor, num_heads: int) -> tuple[torch.Tensor, torch.Tensor]:
    b, t, e = x.shape
    split = x.reshape(b, t, num_heads, e // num_heads).transpose(1, 2).contiguous()
    hb, hn, ht, hd = h.shape
    merged = h.transpose(1, 2).reshape(hb, ht, hn * hd)
    return split, merged
