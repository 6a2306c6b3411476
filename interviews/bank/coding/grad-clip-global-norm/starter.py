import torch


def clip_by_global_norm(g_a: torch.Tensor, g_b: torch.Tensor, g_c: torch.Tensor, max_norm: float):
    """Return (a, b, c, total_norm) with all three scaled by max_norm / (total_norm + 1e-6) if that is < 1."""
    raise NotImplementedError
