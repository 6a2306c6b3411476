"""Agreement between a grader and human scores: Pearson, Spearman, RMSE and quadratic
weighted kappa, with optional leave-one-group-out refitting of the offline calibration,
and the coverage of the offline grader's conformal intervals."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import cohen_kappa_score

from interviews import embeddings
from interviews.grading import calibration, entailment, entailment_training
from interviews.grading.datasets import Labelled
from interviews.grading.features import AnswerFeatures
from interviews.grading.offline import OfflineGrader, criteria_score
from interviews.grading.registry import get_grader

CHUNK = 1500  # answers whose texts are embedded together (bounded memory for token vectors)


@dataclass
class Agreement:
    n: int
    pearson: float
    spearman: float
    rmse: float
    qwk: float
    grader: str
    coverage: float | None = None  # share of human scores inside the offline grader's interval
    # LLM grader only: the figures above are on the rows the LLM graded; these say how many
    # it could not (fallback to offline) and how the mix of all rows agrees.
    fallback_rate: float | None = None
    guarded: int | None = None  # rows the offline guards graded without asking the LLM
    pearson_all_rows: float | None = None

    def as_json(self) -> dict[str, object]:
        return {
            k: (None if v != v else round(v, 4)) if isinstance(v, float) else v  # NaN (no rows) -> null
            for k, v in self.__dict__.items()
            if v is not None
        }


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
    embeddings.limit_threads(settings.GRADING_TORCH_THREADS)  # as in a worker (and faster when cores are shared)
    out: list[AnswerFeatures | str] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        # Embed every distinct text of the chunk once, in large batches.
        texts: list[str] = []
        for row in chunk:
            item = row.item
            texts += [c for c, _ in item.rubric]
            texts += embeddings.sentences(item.answer) + embeddings.sentences(item.reference_answer)
            texts += embeddings.sentences(item.question)
        embeddings.encode(list(dict.fromkeys(texts)))
        out += [grader.features(row.item) for row in chunk]
        embeddings.clear_token_cache()
        if progress:
            progress(start + len(chunk))
    return out


def offline_scores(
    rows: list[Labelled], features: list[AnswerFeatures | str], cal: calibration.Calibration
) -> list[float]:
    return [
        0.0 if isinstance(f, str) else criteria_score(OfflineGrader.criteria(r.item, f, cal)[0])
        for r, f in zip(rows, features, strict=True)
    ]


def table(rows: list[Labelled], features: list[AnswerFeatures | str]) -> tuple[calibration.Table, list[int]]:
    """The criteria of the usable answers, flattened, and which rows they came from."""
    used = [i for i, f in enumerate(features) if not isinstance(f, str)]
    vectors, contradiction, points, answer = [], [], [], []
    for k, i in enumerate(used):
        f = features[i]
        assert not isinstance(f, str)
        for c, (_, p) in zip(f.criteria, rows[i].item.rubric, strict=True):
            vectors.append(c.vector())
            contradiction.append(c.contradiction)
            points.append(p)
            answer.append(k)
    return (
        calibration.Table(
            rows=np.array(vectors, dtype=float).reshape(-1, len(calibration.FEATURES)),
            contradiction=np.array(contradiction, dtype=float),
            points=np.array(points, dtype=float),
            answer=np.array(answer, dtype=np.int64),
            n_answers=len(used),
        ),
        used,
    )


def source(row: Labelled) -> str:
    """ "golden" for the bank's own answers (and CSV rows), else the corpus ("beetle", "sciEntsBank")."""
    return row.group.split(":", 1)[0] if ":" in row.group else "golden"


def _fit(rows: list[Labelled], features: list[AnswerFeatures | str], fitted_on: str) -> calibration.Calibration:
    t, used = table(rows, features)
    human = np.array([rows[i].score for i in used])
    sources = np.array([source(rows[i]) for i in used])
    # The level comes from answers people marked 0-5 (the golden set, a CSV), not from
    # SemEval's 5/2/0 labels; with none of those, from everything.
    return calibration.fit(t, human, sources, sources == "golden", fitted_on)


def out_of_fold(rows: list[Labelled], features: list[AnswerFeatures | str], folds: int = 5) -> np.ndarray:
    """Each row's score from a calibration fitted without its question (folds by question,
    so a question's answers are never on both sides)."""
    groups = sorted({r.group for r in rows})
    rng = np.random.default_rng(0)
    fold_of = {g: int(f) for g, f in zip(groups, rng.permutation(len(groups)) % folds, strict=True)}
    predicted = np.zeros(len(rows))
    for fold in range(folds):
        train = [i for i, r in enumerate(rows) if fold_of[r.group] != fold]
        test = [i for i, r in enumerate(rows) if fold_of[r.group] == fold]
        if not test or not train:
            continue
        cal = _fit([rows[i] for i in train], [features[i] for i in train], "fold")
        predicted[test] = offline_scores([rows[i] for i in test], [features[i] for i in test], cal)
    return predicted


def train_entailment(
    rows: list[Labelled], features: list[AnswerFeatures | str], progress: Callable[[str], None] = print
) -> int:
    """Train entailment.py's classifier on the rows with SemEval's 3-way labels and save it;
    set every row's entailment feature as the calibration must see it: for those rows,
    from models that never saw their question (stacking: in-sample predictions would
    make the calibration trust the classifier far too much); for the others, from the
    saved ensemble. Returns how many answers it was trained on (0: too few, nothing saved)."""
    trainable = [
        i
        for i, (r, f) in enumerate(zip(rows, features, strict=True))
        if source(r) != "golden"
        and r.score in entailment_training.LABELS
        and not isinstance(f, str)
        and len(f.criteria) == 1
        and f.criteria[0].pair is not None
    ]
    if len(trainable) < 100:
        return 0
    samples = []
    for i in trainable:
        f = features[i]
        assert not isinstance(f, str) and f.criteria[0].pair is not None
        samples.append(entailment_training.Sample(*f.criteria[0].pair, entailment_training.LABELS[rows[i].score]))
    held_out, ensemble = entailment_training.stack(samples, [rows[i].group for i in trainable], progress=progress)
    entailment_training.save(ensemble)
    for i, value in zip(trainable, held_out, strict=True):
        f = features[i]
        assert not isinstance(f, str)
        f.criteria[0].entailment = value
    stacked = set(trainable)
    for i, f in enumerate(features):
        if i not in stacked and not isinstance(f, str):
            for c in f.criteria:
                c.entailment = entailment.support(*c.pair, ensemble) if c.pair else 0.0
    return len(trainable)


def row_kind(row: Labelled) -> str:
    return calibration.kind(len(row.item.rubric))


def fit_on(
    rows: list[Labelled], features: list[AnswerFeatures | str], fitted_on: str, folds: int = 5
) -> calibration.Calibration:
    """Fit on all rows. The split-conformal interval widths come from out-of-fold residuals,
    per question kind: a kind's widths from its own held-out answers when there are at
    least 100 of them, else the widths of all of them."""
    fitted = _fit(rows, features, fitted_on)
    if len({r.group for r in rows}) >= folds:
        predicted = out_of_fold(rows, features, folds)
        human = np.array([r.score for r in rows])
        kinds = np.array([row_kind(r) for r in rows])
        overall = calibration.conformal(predicted, human)
        fitted.intervals = {
            k: calibration.conformal(predicted[kinds == k], human[kinds == k]) if (kinds == k).sum() >= 100 else overall
            for k in calibration.KINDS
        }
    return fitted


def coverage(rows: list[Labelled], scores: list[float], cal: calibration.Calibration) -> float:
    inside = [abs(r.score - s) <= cal.half_width(s, row_kind(r)) for r, s in zip(rows, scores, strict=True)]
    return float(np.mean(inside)) if inside else 0.0


def evaluate_llm(rows: list[Labelled], grader: str) -> Agreement:
    """Figures on the rows the LLM graded, never the offline fallback's under the LLM's
    name, with the fallback rate beside them."""
    impl = get_grader(grader)
    results = [impl.grade(r.item) for r in rows]
    human = [r.score for r in rows]
    graded = [i for i, res in enumerate(results) if res.grader == impl.name]
    fallbacks = sum(1 for res in results if res.fallback_reason)
    if len(graded) >= 2:
        result = agreement([results[i].score for i in graded], [human[i] for i in graded], impl.name)
    else:
        nan = float("nan")
        result = Agreement(n=len(graded), pearson=nan, spearman=nan, rmse=nan, qwk=nan, grader=impl.name)
    result.fallback_rate = fallbacks / len(rows)
    result.guarded = sum(1 for res in results if res.grader != impl.name and not res.fallback_reason)
    result.pearson_all_rows = agreement([res.score for res in results], human, "all").pearson
    return result


def evaluate(
    rows: list[Labelled], grader: str, cv_groups: bool = False, cal: calibration.Calibration | None = None
) -> Agreement:
    human = [r.score for r in rows]
    if grader != "offline":
        return evaluate_llm(rows, grader)
    features = offline_features(rows)
    if not cv_groups:
        cal = cal or calibration.current()
        scores = offline_scores(rows, features, cal)
        result = agreement(scores, human, "offline" if cal is calibration.current() else f"offline ({cal.fitted_on})")
        result.coverage = coverage(rows, scores, cal)
        return result
    predicted = [0.0] * len(rows)
    for group in sorted({r.group for r in rows}):
        held_out = [i for i, r in enumerate(rows) if r.group == group]
        train = [i for i, r in enumerate(rows) if r.group != group]
        fold = _fit([rows[i] for i in train], [features[i] for i in train], f"cv-without-{group}")
        for i, score in zip(
            held_out, offline_scores([rows[i] for i in held_out], [features[i] for i in held_out], fold), strict=True
        ):
            predicted[i] = score
    result = agreement(predicted, human, "offline (leave-one-group-out)")
    # The shipped widths around predictions of calibrations that never saw the question.
    result.coverage = coverage(rows, predicted, calibration.current())
    return result
