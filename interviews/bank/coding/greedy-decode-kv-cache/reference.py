import math

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
    d = embed.shape[1]
    keys: list[torch.Tensor] = []
    values: list[torch.Tensor] = []

    def feed(token: int, t: int) -> torch.Tensor:
        h = embed[token] + pos[t]
        keys.append(h @ w_k)
        values.append(h @ w_v)
        k_mat, v_mat = torch.stack(keys), torch.stack(values)
        scores = k_mat @ (h @ w_q) / math.sqrt(d)
        weights = torch.softmax(scores, dim=0)
        return (h + weights @ v_mat) @ w_out

    logits = None
    for t, token in enumerate(prompt.tolist()):
        logits = feed(token, t)
    generated = []
    t = len(prompt)
    for step in range(n_steps):
        nxt = int(torch.argmax(logits))
        generated.append(nxt)
        if step < n_steps - 1:
            logits = feed(nxt, t)
            t += 1
    return torch.tensor(generated, dtype=torch.int64), torch.stack(keys), torch.stack(values)
