import torch
import torch.nn.functional as F


def focal_loss(logits: torch.Tensor, targets: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    # Signed logit: p_t = sigmoid(z_t), so log p_t and 1 - p_t come from the logit directly.
    z_t = torch.where(targets > 0.5, logits, -logits)
    log_p_t = F.logsigmoid(z_t)
    one_minus_p_t = torch.sigmoid(-z_t)
    alpha_t = torch.where(targets > 0.5, torch.full_like(logits, alpha), torch.full_like(logits, 1.0 - alpha))
    return (-alpha_t * one_minus_p_t**gamma * log_p_t).mean()
