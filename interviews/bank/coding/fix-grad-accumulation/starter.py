import torch


def train_accumulated(X, y, w0, b0, lr: float, batch_size: int, accum_steps: int):
    """Accumulate gradients over micro-batches; return (losses, weight (D,), bias 0-d)."""
    model = torch.nn.Linear(X.shape[1], 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(w0.unsqueeze(0))
        model.bias.fill_(b0)
    optimiser = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.MSELoss()
    micro = batch_size // accum_steps
    losses = []
    for start in range(0, X.shape[0], batch_size):
        optimiser.zero_grad()
        batch_loss = 0.0
        for m in range(start, start + batch_size, micro):
            loss = loss_fn(model(X[m : m + micro]).squeeze(1), y[m : m + micro])
            loss.backward()
            batch_loss += loss.item()
        optimiser.step()
        losses.append(batch_loss)
    return (
        torch.tensor(losses, dtype=torch.float64),
        model.weight.detach().squeeze(0).clone(),
        model.bias.detach().squeeze(0).clone(),
    )
