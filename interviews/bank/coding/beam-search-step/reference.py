import torch


def beam_step(beam_scores: torch.Tensor, log_probs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    b, k, v = log_probs.shape
    cand = (beam_scores.unsqueeze(-1) + log_probs).reshape(b, k * v)
    # A stable descending sort keeps equal scores in flat-index order, which is the tie rule.
    scores, flat = torch.sort(cand, dim=-1, descending=True, stable=True)
    scores, flat = scores[:, :k], flat[:, :k]
    return scores, flat // v, flat % v
