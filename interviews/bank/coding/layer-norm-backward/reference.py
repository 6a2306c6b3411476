import torch

EPS = 1e-5


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        centred = x - mean
        var = (centred * centred).mean(dim=-1, keepdim=True)
        rstd = 1.0 / torch.sqrt(var + EPS)
        xhat = centred * rstd
        ctx.save_for_backward(xhat, rstd, weight)
        return xhat * weight + bias

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        xhat, rstd, weight = ctx.saved_tensors
        d = xhat.shape[-1]
        lead = tuple(range(xhat.dim() - 1))
        grad_weight = (grad_output * xhat).sum(dim=lead)
        grad_bias = grad_output.sum(dim=lead)
        g = grad_output * weight
        # d xhat / d x projects out the mean and the xhat direction.
        grad_x = rstd / d * (d * g - g.sum(dim=-1, keepdim=True) - xhat * (g * xhat).sum(dim=-1, keepdim=True))
        return grad_x, grad_weight, grad_bias
