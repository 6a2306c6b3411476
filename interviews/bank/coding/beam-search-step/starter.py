import torch


def beam_step(beam_scores: torch.Tensor, log_probs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (new_scores float64 (B, K), parents int64 (B, K), tokens int64 (B, K))."""
    raise NotImplementedError
