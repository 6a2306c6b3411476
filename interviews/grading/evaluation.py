"""Agreement between a grader and human scores: Pearson, Spearman, RMSE and quadratic
weighted kappa, with optional leave-one-group-out refitting of the offline calibration."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import cohen_kappa_score

from interviews.grading import calibration, embeddings
from interviews.grading.datasets import Labelled
from interviews.grading.features import AnswerFeatures
from interviews.grading.offline import OfflineGrader
from interviews.grading.registry import get_grader


@dataclass
class Agreement:
    n: int
    pearson: float
    spearman: float
    rmse: float
    qwk: float
    grader: str

    def as_json(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def agreement(predicted: list[float], human: list[float], grader: str) -> Agreement:
    p, h = np.array(predicted, dtype=float), np.array(human, dtype=float)
    constant = p.std() == 0 or h.std() == 0
    return Agreement(
        n=len(h),
        pearson=0.0 if constant else float(pearsonr(p, h).statistic),
        spearman=0.0 if constant else float(spearmanr(p, h).statistic),
        rmse=float(np.sqrt(np.mean((p - h) ** 2))),
        qwk=float(cohen_kappa_score(np.rint(h).astype(int), np.rint(p).astype(int), weights="quadratic")),
        grader=grader,
    )


def offline_features(rows: list[Labelled], progress: Callable[[int], None] | None = None) -> list[AnswerFeatures | str]:
    grader = OfflineGrader()
    # Embed every distinct text once, in large batches, before the per-answer work.
    texts: list[str] = []
    for row in rows:
        item = row.item
        texts += [c for c, _ in item.rubric]
        texts += embeddings.sentences(item.answer) + embeddings.sentences(item.reference_answer)
        texts += embeddings.sentences(item.question)
    unique = list(dict.fromkeys(texts))
    for start in range(0, len(unique), 4096):
        embeddings.embed(unique[start : start + 4096])
        if progress:
            progress(start)
    out = []
    for i, row in enumerate(rows):
        out.append(grader.features(row.item))
        if progress and i % 200 == 0:
            progress(i)
    return out


def offline_scores(
    rows: list[Labelled], features: list[AnswerFeatures | str], cal: calibration.Calibration
) -> list[float]:
    return [
        0.0 if isinstance(f, str) else OfflineGrader.score(r.item, f, cal)[0]
        for r, f in zip(rows, features, strict=True)
    ]


def fit_on(rows: list[Labelled], features: list[AnswerFeatures | str], fitted_on: str) -> calibration.Calibration:
    usable = [(f.vector(), r.score) for r, f in zip(rows, features, strict=True) if not isinstance(f, str)]
    x = np.array([v for v, _ in usable])
    y = np.array([s for _, s in usable])
    return calibration.fit(x, y, fitted_on=fitted_on)


def evaluate(rows: list[Labelled], grader: str, cv_groups: bool = False) -> Agreement:
    human = [r.score for r in rows]
    if grader != "offline":
        impl = get_grader(grader)
        return agreement([impl.grade(r.item).score for r in rows], human, grader)
    features = offline_features(rows)
    if not cv_groups:
        return agreement(offline_scores(rows, features, calibration.current()), human, "offline")
    predicted = [0.0] * len(rows)
    groups = sorted({r.group for r in rows})
    for group in groups:
        held_out = [i for i, r in enumerate(rows) if r.group == group]
        train = [i for i, r in enumerate(rows) if r.group != group]
        cal = fit_on([rows[i] for i in train], [features[i] for i in train], f"cv-without-{group}")
        scores = offline_scores([rows[i] for i in held_out], [features[i] for i in held_out], cal)
        for i, score in zip(held_out, scores, strict=True):
            predicted[i] = score
    return agreement(predicted, human, "offline (leave-one-group-out)")
