"""Training for entailment.py's classifier (torch, CPU: about a minute per model on the
SemEval-2013 training corpora). fit_grader_calibration runs it: once per fold, so the
calibration sees only predictions for questions the classifier never saw (stacking), and
once on everything for the shipped weights."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from interviews.grading import entailment
from interviews.grading.entailment import Side

HIDDEN = 64
EPOCHS = 8
SEEDS = 3  # models in the ensemble
BATCH = 32
LABELS = {5.0: 0, 2.0: 1, 0.0: 2}  # SemEval's 5/2/0 -> correct, incorrect, contradictory
DIM = 384


@dataclass
class Sample:
    answer: Side
    claims: list[Side]  # the criterion and its alternative statements
    label: int


def _model(hidden: int = HIDDEN):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    class PairModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.p = nn.Linear(DIM, hidden)
            self.q = nn.Parameter(torch.zeros(hidden))  # added to tokens the question already says
            self.fa = nn.Sequential(nn.Linear(4 * hidden, hidden), nn.ReLU())
            self.fb = nn.Sequential(nn.Linear(4 * hidden, hidden), nn.ReLU())
            self.out = nn.Sequential(nn.Dropout(0.2), nn.Linear(4 * hidden + 2, 3))

        def forward(self, a, am, b, bm, aq, bq):  # type: ignore[no-untyped-def]
            A, B = self.p(a) + aq[..., None] * self.q, self.p(b) + bq[..., None] * self.q
            cos = torch.einsum("pnd,pmd->pnm", a, b)
            e = torch.einsum("pnh,pmh->pnm", A, B) / hidden**0.5
            aligned_b = torch.softmax(e + (~bm[:, None, :]) * entailment.NEG, dim=2) @ B
            aligned_a = torch.softmax(e + (~am[:, :, None]) * entailment.NEG, dim=1).transpose(1, 2) @ A
            ma = self.fa(torch.cat([A, aligned_b, A - aligned_b, A * aligned_b], -1))
            mb = self.fb(torch.cat([B, aligned_a, B - aligned_a, B * aligned_a], -1))

            def pool(x, m):  # type: ignore[no-untyped-def]
                top = (x + (~m[..., None]) * entailment.NEG).max(1).values
                return top, (x * m[..., None]).sum(1) / m.sum(1, keepdim=True).clamp(min=1)

            recall = ((cos + (~am[:, :, None]) * entailment.NEG).max(1).values * bm).sum(1) / bm.sum(1).clamp(min=1)
            precision = ((cos + (~bm[:, None, :]) * entailment.NEG).max(2).values * am).sum(1) / am.sum(1).clamp(min=1)
            return self.out(torch.cat([*pool(ma, am), *pool(mb, bm), recall[:, None], precision[:, None]], -1))

    return PairModel()


def _batch(samples: Sequence[Sample]):  # type: ignore[no-untyped-def]
    """Every (answer, claim) pair of the samples, padded, and which sample each belongs to."""
    import torch

    pairs = [(i, claim) for i, s in enumerate(samples) for claim in s.claims if len(claim[0])]
    n = max(len(samples[i].answer[0]) for i, _ in pairs)
    m = max(len(c[0]) for _, c in pairs)
    a, b = np.zeros((len(pairs), n, DIM), np.float32), np.zeros((len(pairs), m, DIM), np.float32)
    aq, bq = np.zeros((len(pairs), n), np.float32), np.zeros((len(pairs), m), np.float32)
    am, bm = np.zeros((len(pairs), n), bool), np.zeros((len(pairs), m), bool)
    for k, (i, (tokens, said)) in enumerate(pairs):
        x, xq = samples[i].answer
        a[k, : len(x)], aq[k, : len(x)], am[k, : len(x)] = x, xq, True
        b[k, : len(tokens)], bq[k, : len(tokens)], bm[k, : len(tokens)] = tokens, said, True
    tensors = [torch.tensor(v) for v in (a, am, b, bm, aq, bq)]
    return tensors, torch.tensor([i for i, _ in pairs])


def _sample_logits(model, samples: Sequence[Sample]):  # type: ignore[no-untyped-def]
    """Each sample's logits: those of the claim it most likely states (as entailment.support)."""
    import torch

    tensors, owner = _batch(samples)
    out = model(*tensors)
    log_p = torch.log_softmax(out, -1)
    rows = []
    for i in range(len(samples)):
        idx = (owner == i).nonzero().flatten()
        rows.append(out[idx[log_p[idx, 0].argmax()]])
    return torch.stack(rows)


def train_one(samples: Sequence[Sample], seed: int, epochs: int) -> dict[str, NDArray[np.float32]]:
    import torch
    from torch import nn

    torch.manual_seed(seed)
    order_rng = np.random.default_rng(seed)
    usable = [s for s in samples if len(s.answer[0]) and any(len(c[0]) for c in s.claims)]
    model = _model()
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    labels = torch.tensor([s.label for s in usable])
    with torch.inference_mode(False):
        for _ in range(epochs):
            order = order_rng.permutation(len(usable))
            for start in range(0, len(usable), BATCH):
                idx = order[start : start + BATCH]
                loss = nn.functional.cross_entropy(_sample_logits(model, [usable[i] for i in idx]), labels[idx])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
    return {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}


def train(
    samples: Sequence[Sample], seeds: int | None = None, epochs: int | None = None
) -> list[dict[str, NDArray[np.float32]]]:
    import torch

    seeds, epochs = seeds or SEEDS, epochs or EPOCHS
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small matrices: one thread is as fast and leaves the other core free
    try:
        return [train_one(samples, seed, epochs) for seed in range(seeds)]
    finally:
        torch.set_num_threads(threads)


def predict(ensemble: list[dict[str, NDArray[np.float32]]], sample: Sample) -> float:
    """entailment.support with these parameters rather than the saved ones."""
    return entailment.support(sample.answer, sample.claims, ensemble)


def save(ensemble: list[dict[str, NDArray[np.float32]]], path: Path | None = None) -> None:
    path = path or entailment.WEIGHTS_FILE
    arrays = {f"{i}/{k}": v for i, params in enumerate(ensemble) for k, v in params.items()}
    np.savez_compressed(path, models=np.array(len(ensemble)), **arrays)  # type: ignore[arg-type]
    entailment.saved.cache_clear()


def stack(
    samples: list[Sample], groups: list[str], folds: int = 5, progress: Callable[[str], None] = print
) -> tuple[list[float], list[dict[str, NDArray[np.float32]]]]:
    """Each sample's prediction from models trained without its question (folds by
    question: what the calibration may learn from), and the ensemble trained on all."""
    names = sorted(set(groups))
    fold_of = dict(zip(names, np.random.default_rng(1).permutation(len(names)) % folds, strict=True))
    held_out = [0.0] * len(samples)
    for fold in range(folds):
        inside = [i for i, g in enumerate(groups) if fold_of[g] == fold]
        ensemble = train([s for s, g in zip(samples, groups, strict=True) if fold_of[g] != fold])
        for i in inside:
            held_out[i] = predict(ensemble, samples[i])
        progress(f"  entailment fold {fold + 1}/{folds}: {len(inside)} answers held out")
    return held_out, train(samples)
