import torch


def ema_update(ema: torch.Tensor, params: torch.Tensor, decay: float, start_step: int) -> torch.Tensor:
    out = ema.clone()
    for j in range(params.shape[0]):
        n = start_step + j + 1
        d = min(decay, (1.0 + n) / (10.0 + n))
        out = d * out + (1.0 - d) * params[j]
    return out
