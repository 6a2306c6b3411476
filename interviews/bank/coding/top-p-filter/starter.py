import torch


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep token j iff the mass of strictly more likely tokens is < p; others -inf. (B, V) float64."""
    raise NotImplementedError
