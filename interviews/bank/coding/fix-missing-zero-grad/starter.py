import torch


def train(X, y, w0, b0, lr: float, n_epochs: int, batch_size: int):
    """Train a linear model with SGD on MSE; return (losses (steps,), weight (D,), bias 0-d)."""
    model = torch.nn.Linear(X.shape[1], 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(w0.unsqueeze(0))
        model.bias.fill_(b0)
    optimiser = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.MSELoss()
    losses = []
    for _ in range(n_epochs):
        for start in range(0, X.shape[0], batch_size):
            xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            loss = loss_fn(model(xb).squeeze(1), yb)
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
    return (
        torch.tensor(losses, dtype=torch.float64),
        model.weight.detach().squeeze(0).clone(),
        model.bias.detach().squeeze(0).clone(),
    )
