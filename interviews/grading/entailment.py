"""Does the answer say what a claim (a criterion, or a reference sentence related to it)
says, or its opposite? A small alignment classifier over the MiniLM token vectors the
grader already has (no second model pass): each side's tokens are projected, softly
aligned to the other side's, compared ([x, aligned, x - aligned, x * aligned], the
decomposable-attention / ESIM recipe), pooled, and classified as correct / incorrect /
contradictory. Token alignment alone cannot tell "A is in a closed path" from "A is not
in a closed path"; the comparison of aligned contextual vectors can, a little.

Trained on the SemEval-2013 training corpora's 3-way labels (entailment_training.py, run
by fit_grader_calibration), an ensemble of a few seeds, kept in entailment.npz beside
this module. This module only runs it, in numpy: a few small matrix products per claim."""

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

WEIGHTS_FILE = Path(__file__).resolve().parent / "entailment.npz"
# The feature: the expected SemEval label on a 0-1 scale (correct 1, incorrect 0.4,
# contradictory 0), the same 5/2/0 mapping as datasets.SEMEVAL_SCORES.
LABEL_VALUE = np.array([1.0, 0.4, 0.0])
NEG = -1e4

Params = dict[str, NDArray[np.float32]]
Side = tuple[NDArray[np.float32], NDArray[np.float32]]  # (tokens (n, 384), said-in-question flags (n,))


def _stacked(ensemble: Sequence[Params]) -> Params:
    """The ensemble's parameters stacked on a leading model axis, to run all models at once."""
    return {k: np.stack([p[k] for p in ensemble]) for k in ensemble[0]}


@lru_cache(maxsize=1)
def saved() -> Params | None:
    """The saved ensemble, stacked, or None when no model has been trained."""
    if not WEIGHTS_FILE.exists():
        return None
    with np.load(WEIGHTS_FILE) as data:
        count = int(data["models"])
        ensemble = [{k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(f"{i}/")} for i in range(count)]
    return _stacked(ensemble)


def _softmax(x: NDArray[np.float32], axis: int) -> NDArray[np.float32]:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _split(weight: NDArray[np.float32]) -> tuple[NDArray[np.float32], ...]:
    """A comparison layer's (models, hidden, 4 * hidden) weight as four (models, hidden,
    hidden) matrices, one per part of [x, aligned, x - aligned, x * aligned], transposed
    to multiply on the right."""
    return tuple(w.transpose(0, 2, 1) for w in np.split(weight, 4, axis=2))


def _combine(p: Params) -> tuple[NDArray[np.float32], ...]:
    """The weight matrices logits multiplies by, which depend on the parameters alone:
    the projection, transposed, and the comparison layers' parts, split and combined."""
    fa1, fa2, fa3, fa4 = _split(p["fa.0.weight"])
    fb1, fb2, fb3, fb4 = _split(p["fb.0.weight"])
    return p["p.weight"].transpose(0, 2, 1), fa1 + fa3, fa2 - fa3, fa4, fb1 + fb3, fb2 - fb3, fb4


# The last parameters' combined weights, computed once rather than on every claim set (the
# saved ensemble is the same object on every grade: 0.2-0.3 ms of a grade's CPU). The pair
# holds the parameters, so `is` cannot match a new object at a reused address.
_combined: tuple[Params, tuple[NDArray[np.float32], ...]] | None = None


def _weights(p: Params) -> tuple[NDArray[np.float32], ...]:
    global _combined
    cached = _combined
    if cached is None or cached[0] is not p:
        cached = _combined = (p, _combine(p))
    return cached[1]


def logits(p: Params, answer: Side, claims: list[Side]) -> NDArray[np.float32]:
    """(models, claims, 3) logits of every model for the answer against each claim, all in
    a few batched products (each claim is a segment of the concatenated claim tokens);
    the same function as entailment_training's PairModel.forward, without its padding.

    The comparison layers are distributed over their four inputs:
    [x, y, x - y, x * y] @ W = x @ (W1 + W3) + y @ (W2 - W3) + (x * y) @ W4, and y (a soft
    alignment, weights @ tokens) @ (W2 - W3) = weights @ (tokens @ (W2 - W3)), so only the
    product term is computed per claim (a third of the work of the concatenation)."""
    a, aq = answer
    b = np.concatenate([c[0] for c in claims])
    bq = np.concatenate([c[1] for c in claims])
    sizes = np.array([len(c[0]) for c in claims])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    hidden = p["q"].shape[-1]
    models_count, n, k = p["q"].shape[0], len(a), len(claims)
    project, fa13, fa23, fa4, fb13, fb23, fb4 = _weights(p)
    # Projections (models, tokens, hidden), with the "said in the question" vector added.
    A = a @ project + p["p.bias"][:, None] + aq[None, :, None] * p["q"][:, None]
    B = b @ project + p["p.bias"][:, None] + bq[None, :, None] * p["q"][:, None]
    e = A @ B.transpose(0, 2, 1) / np.sqrt(hidden)  # (models, answer tokens, claim tokens)
    # Each answer token's view of each claim: a softmax within the claim's tokens. The
    # claims are gathered into a padded (claims, longest claim) grid, so the alignment is
    # one batched product per claim rather than a product with every claim's tokens.
    grid = starts[:, None] + np.arange(sizes.max())[None, :]
    padding = grid >= (starts + sizes)[:, None]
    grid[padding] = 0
    scores = e[:, :, grid] + np.where(padding, NEG, 0.0).astype(np.float32)  # (models, n, claims, longest)
    w = _softmax(scores, axis=3).transpose(0, 2, 1, 3)  # (models, claims, n, longest)
    # The claim tokens aligned to each answer token, per claim, and their term of fa.
    both = w @ np.concatenate([B, B @ fa23], -1)[:, grid]  # (models, claims, n, 2 * hidden)
    aligned_b = both[..., :hidden]
    product = (A[:, None] * aligned_b).reshape(models_count, k * n, hidden) @ fa4
    ma = (A @ fa13 + p["fa.0.bias"][:, None])[:, None] + both[..., hidden:] + product.reshape(aligned_b.shape)
    ma = np.maximum(ma, 0)
    # Each claim token's view of the answer.
    weights_a = _softmax(e, axis=1).transpose(0, 2, 1)
    aligned_a = weights_a @ A
    mb = B @ fb13 + weights_a @ (A @ fb23) + (B * aligned_a) @ fb4 + p["fb.0.bias"][:, None]
    mb = np.maximum(mb, 0)
    mb_max = np.maximum.reduceat(mb, starts, axis=1)
    mb_mean = np.add.reduceat(mb, starts, axis=1) / sizes[None, :, None]
    cos = a @ b.T  # (answer tokens, claim tokens)
    recall = np.add.reduceat(cos.max(axis=0), starts) / sizes
    precision = np.maximum.reduceat(cos, starts, axis=1).mean(axis=0)
    pooled = np.concatenate(
        [
            ma.max(axis=2),
            ma.mean(axis=2),
            mb_max,
            mb_mean,
            np.broadcast_to(recall[None, :, None], (models_count, k, 1)),
            np.broadcast_to(precision[None, :, None], (models_count, k, 1)),
        ],
        -1,
    )
    return pooled @ p["out.1.weight"].transpose(0, 2, 1) + p["out.1.bias"][:, None]


def support(answer: Side, claims: list[Side], ensemble: Sequence[Params] | None = None) -> float:
    """0-1: how far the answer says what the claims say (for each model, the claim it most
    likely states), averaged over the ensemble (the saved one unless given); 0 when none
    has been trained."""
    stacked = saved() if ensemble is None else (_stacked(ensemble) if ensemble else None)
    claims = [c for c in claims if len(c[0])]
    if stacked is None or not claims or len(answer[0]) == 0:
        return 0.0
    probs = _softmax(logits(stacked, answer, claims), axis=2)  # (models, claims, 3)
    best = probs[np.arange(probs.shape[0]), probs[:, :, 0].argmax(axis=1)]  # (models, 3)
    return float((best @ LABEL_VALUE).mean())
