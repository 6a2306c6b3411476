"""The offline grader's calibration: how a criterion's evidence becomes its share of the
criterion's points, and how wide the grader's errors are.

share = clip(bias + weights . evidence, 0, 1) * (1 - contradiction_penalty * contradicts)

with non-negative weights (monotone: more evidence never lowers a share), fitted so that
the sum of criterion points, scaled to 0-5, matches human scores on training data. The
errors on data held out of the fit give split-conformal intervals: |human - predicted|
quantiles per question kind (KINDS) and score band. Kept in calibration.json beside this module (readable,
diffable); `python manage.py fit_grader_calibration` refits it."""

import itertools
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from interviews.grading.features import FEATURES

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"
EDGE = 0.05  # the logistic curve is stretched so that a share can reach exactly 0 and 1
COVERAGE = 0.9  # of the conformal intervals
BANDS = [0.0, 1.5, 3.5, 5.01]  # score bands with their own interval width
# Question kinds with their own interval widths: a rubric of several criteria (the bank's
# questions, the golden set) errs differently from one short criterion (a reference
# answer alone, as in SemEval's school science questions, where the labels are 5/2/0).
KINDS = ("rubric", "single")


def kind(criteria: int) -> str:
    return "rubric" if criteria > 1 else "single"


@dataclass
class Calibration:
    features: list[str]
    weights: list[float]
    bias: float
    contradiction_penalty: float
    fitted_on: str
    n: int
    # Split-conformal half-widths per score band (BANDS), at COVERAGE, per question kind
    # (KINDS); a kind without enough held-out answers uses another's.
    intervals: dict[str, list[float]] = field(default_factory=lambda: {k: [2.0, 2.0, 2.0] for k in KINDS})

    def shares(self, rows: NDArray[np.float64], contradiction: NDArray[np.float64]) -> NDArray[np.float64]:
        z = self.bias + np.atleast_2d(rows) @ np.array(self.weights)
        raw = np.clip((1 / (1 + np.exp(-np.clip(z, -30, 30))) - EDGE) / (1 - 2 * EDGE), 0.0, 1.0)
        return raw * (1 - self.contradiction_penalty * contradiction)

    def half_width(self, score: float, kind: str = "rubric") -> float:
        widths = self.intervals.get(kind) or next(iter(self.intervals.values()))
        band = int(np.clip(np.searchsorted(BANDS, score, side="right") - 1, 0, len(widths) - 1))
        return widths[band]

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")


@dataclass
class Table:
    """Criteria of many answers, flattened: one row per criterion."""

    rows: NDArray[np.float64]  # (criteria, features)
    contradiction: NDArray[np.float64]
    points: NDArray[np.float64]
    answer: NDArray[np.int64]  # the answer each criterion belongs to
    n_answers: int

    def scores(self, shares: NDArray[np.float64]) -> NDArray[np.float64]:
        earned = np.bincount(self.answer, weights=self.points * shares, minlength=self.n_answers)
        total = np.bincount(self.answer, weights=self.points, minlength=self.n_answers)
        return 5 * earned / np.maximum(total, 1e-9)


def fit(table: Table, human: NDArray[np.float64], weight: NDArray[np.float64], fitted_on: str) -> Calibration:
    """Least squares on the 0-5 score over (weights >= 0, bias, penalty in [0, 1])."""
    from scipy.optimize import minimize

    k = table.rows.shape[1]

    def unpack(theta: NDArray[np.float64]) -> Calibration:
        return Calibration(
            features=list(FEATURES),
            weights=[float(v) for v in theta[:k]],
            bias=float(theta[k]),
            contradiction_penalty=float(theta[k + 1]),
            fitted_on=fitted_on,
            n=len(human),
        )

    def loss(theta: NDArray[np.float64]) -> float:
        predicted = table.scores(unpack(theta).shares(table.rows, table.contradiction))
        return float(np.average((predicted - human) ** 2, weights=weight))

    # The stretched logistic is flat where it clips, so the fit depends on where it starts:
    # from each feature alone on the zero-shot curve (centred on that feature's median),
    # and from all of them equally.
    starts = []
    for j in range(k):
        theta = np.zeros(k + 2)
        theta[j], theta[k], theta[k + 1] = 12.0, -12.0 * float(np.median(table.rows[:, j])), 0.3
        starts.append(theta)
    starts.append(np.array([*[10.0 / k] * k, -5.0, 0.3]))
    best = None
    for theta0 in starts:
        result = minimize(
            loss, theta0, method="L-BFGS-B", bounds=[(0, 40)] * k + [(-40, 10), (0, 1)], options={"maxiter": 500}
        )
        if best is None or result.fun < best.fun:
            best = result
    assert best is not None
    calibration = unpack(best.x)
    calibration.weights = [round(w, 5) for w in calibration.weights]
    calibration.bias = round(calibration.bias, 5)
    calibration.contradiction_penalty = round(calibration.contradiction_penalty, 4)
    return calibration


def conformal(predicted: NDArray[np.float64], human: NDArray[np.float64]) -> list[float]:
    """Split-conformal half-widths per score band from held-out residuals (finite-sample
    quantile); a band with too few points borrows the overall one."""
    residual = np.abs(human - predicted)

    def quantile(r: NDArray[np.float64]) -> float:
        level = min(1.0, np.ceil((len(r) + 1) * COVERAGE) / len(r))
        return round(float(np.quantile(r, level)), 3)

    overall = quantile(residual)
    widths = []
    for low, high in itertools.pairwise(BANDS):
        inside = residual[(predicted >= low) & (predicted < high)]
        widths.append(quantile(inside) if len(inside) >= 30 else overall)
    return widths


# Used until a calibration has been fitted (the "zero-shot" grader): a criterion's share
# follows its reference token recall alone, from nothing at about 0.36 to all of it at
# about 0.84 (a fixed curve centred on 0.6, chosen from the spread of recalls, not labels).
DEFAULT = Calibration(
    features=list(FEATURES),
    weights=[0.0, 12.0, 0.0, 0.0, 0.0],
    bias=-12.0 * 0.6,
    contradiction_penalty=0.0,
    fitted_on="uncalibrated default",
    n=0,
)


@lru_cache(maxsize=1)
def current() -> Calibration:
    if not CALIBRATION_FILE.exists():
        return DEFAULT
    data = json.loads(CALIBRATION_FILE.read_text())
    if data.get("features") != FEATURES or "weights" not in data or "intervals" not in data:
        return DEFAULT  # fitted for another feature set: refit before trusting it
    return Calibration(**data)
