import torch


def greedy_decode(
    embed: torch.Tensor,
    pos: torch.Tensor,
    w_q: torch.Tensor,
    w_k: torch.Tensor,
    w_v: torch.Tensor,
    w_out: torch.Tensor,
    prompt: torch.Tensor,
    n_steps: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (tokens int64 (n_steps,), k_cache and v_cache float64 (T0 + n_steps - 1, D))."""
    raise NotImplementedError
