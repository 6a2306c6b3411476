import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    d = x.shape[-1]
    half = d // 2
    inv_freq = base ** (-2.0 * torch.arange(half, dtype=torch.float64) / d)
    theta = positions.to(torch.float64).unsqueeze(1) * inv_freq.unsqueeze(0)  # (T, half)
    cos, sin = torch.cos(theta), torch.sin(theta)
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)
