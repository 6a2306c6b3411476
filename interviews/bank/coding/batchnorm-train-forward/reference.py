import torch


def batch_norm_train(
    x: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    momentum: float,
    eps: float,
):
    count = x.shape[0] * x.shape[2]
    mean = x.mean(dim=(0, 2))
    var = ((x - mean[None, :, None]) ** 2).mean(dim=(0, 2))  # biased, used to normalise
    y = (x - mean[None, :, None]) / torch.sqrt(var[None, :, None] + eps) * gamma[None, :, None] + beta[None, :, None]
    unbiased = var * count / (count - 1)
    new_mean = (1.0 - momentum) * running_mean + momentum * mean
    new_var = (1.0 - momentum) * running_var + momentum * unbiased
    return y, new_mean, new_var
