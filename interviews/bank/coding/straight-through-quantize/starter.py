import torch


class FakeQuantSTE(torch.autograd.Function):
    """Forward: round(clamp(x, -1, 1) * 127) / 127. Backward: pass grad where -1 <= x <= 1."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
