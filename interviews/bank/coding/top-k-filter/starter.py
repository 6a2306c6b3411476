import torch


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep entries >= the k-th largest per row (ties kept), others -inf; (B, V) float64."""
    raise NotImplementedError
