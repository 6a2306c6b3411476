import torch


def quantize_per_channel(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (q int8 (O, I), scale float64 (O,), dequant float64 (O, I))."""
    raise NotImplementedError
