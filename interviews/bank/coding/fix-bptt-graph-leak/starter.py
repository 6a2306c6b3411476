import torch


def train_tbptt(X, y, w_x, w_h, w_o, h0, lr: float, chunk: int):
    """Truncated BPTT; return (losses float64 (n_chunks,), final hidden float64 (H,))."""
    params = [p.clone().requires_grad_(True) for p in (w_x, w_h, w_o)]
    w_x, w_h, w_o = params
    h = h0.clone()
    losses = []
    for start in range(0, X.shape[0], chunk):
        stop = min(start + chunk, X.shape[0])
        loss = torch.zeros((), dtype=torch.float64)
        for t in range(start, stop):
            h = torch.tanh(X[t] @ w_x + h @ w_h)
            loss = loss + (h @ w_o - y[t]) ** 2
        loss = loss / (stop - start)
        loss.backward(retain_graph=True)
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
        losses.append(loss.item())
    return torch.tensor(losses, dtype=torch.float64), h.detach()
