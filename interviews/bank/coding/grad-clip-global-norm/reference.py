import torch


def clip_by_global_norm(g_a: torch.Tensor, g_b: torch.Tensor, g_c: torch.Tensor, max_norm: float):
    grads = [g_a, g_b, g_c]
    # The global norm is the norm of the per-tensor norms.
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    coef = max_norm / (total + 1e-6)
    grads = [g * coef for g in grads] if coef < 1.0 else [g.clone() for g in grads]
    return grads[0], grads[1], grads[2], total
