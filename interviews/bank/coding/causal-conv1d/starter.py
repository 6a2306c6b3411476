import torch


def causal_conv1d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, dilation: int) -> torch.Tensor:
    """Left-padded dilated conv1d; output float64 (B, C_out, T), position t sees inputs <= t only."""
    raise NotImplementedError
