import torch


def _build(w1, b1, w2, b2) -> torch.nn.Sequential:
    h, d = w1.shape
    model = torch.nn.Sequential(
        torch.nn.Linear(d, h, dtype=torch.float64),
        torch.nn.BatchNorm1d(h, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.Linear(h, 1, dtype=torch.float64),
    )
    with torch.no_grad():
        model[0].weight.copy_(w1)
        model[0].bias.copy_(b1)
        model[3].weight.copy_(w2)
        model[3].bias.copy_(b2)
    return model


def train_and_predict(X, y, X_test, w1, b1, w2, b2, lr: float, n_steps: int):
    """Return (losses float64 (n_steps,), predictions float64 (M,))."""
    model = _build(w1, b1, w2, b2)
    optimiser = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(n_steps):
        optimiser.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X).squeeze(1), y)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())

    # eval() makes BatchNorm use its running statistics (and stops updating them);
    # no_grad() keeps the predictions free of any autograd graph.
    model.eval()
    with torch.no_grad():
        predictions = model(X_test).squeeze(1)
    return torch.tensor(losses, dtype=torch.float64), predictions
