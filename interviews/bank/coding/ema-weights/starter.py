import torch


def ema_update(ema: torch.Tensor, params: torch.Tensor, decay: float, start_step: int) -> torch.Tensor:
    """Apply S EMA updates with d = min(decay, (1 + n) / (10 + n)); float64 (P,)."""
    raise NotImplementedError
