"""The offline grader's calibration: a non-negative ridge regression from answer features to a 0-5
score, fitted on labelled answers and kept in calibration.json beside this module (a few
hundred bytes, readable, diffable). `python manage.py fit_grader_calibration` refits it."""

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from interviews.grading.features import FEATURES

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"


@dataclass
class Calibration:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    residual_sd: float  # on the training data, in score points
    fitted_on: str
    n: int

    def predict(self, rows: np.ndarray) -> np.ndarray:
        z = (np.atleast_2d(rows) - np.array(self.mean)) / np.array(self.scale)
        return np.clip(z @ np.array(self.coef) + self.intercept, 0.0, 5.0)

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")


def fit(rows: np.ndarray, scores: np.ndarray, fitted_on: str, alpha: float = 1.0) -> Calibration:
    from sklearn.linear_model import Ridge

    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    # Every feature is "more is better": non-negative weights keep the grader monotone, so
    # an answer can never gain by lowering a feature (padding dilutes similarity and
    # precision; with a negative weight that dilution would have paid).
    model = Ridge(alpha=alpha, positive=True).fit((rows - mean) / scale, scores)
    calibration = Calibration(
        features=list(FEATURES),
        mean=[round(float(v), 6) for v in mean],
        scale=[round(float(v), 6) for v in scale],
        coef=[round(float(v), 6) for v in model.coef_],
        intercept=round(float(model.intercept_), 6),
        residual_sd=0.0,
        fitted_on=fitted_on,
        n=len(scores),
    )
    calibration.residual_sd = round(float(np.std(scores - calibration.predict(rows))), 4)
    return calibration


# Used until a calibration has been fitted: coverage mapped linearly between two cosine
# anchors, the first cut of the grader.
DEFAULT = Calibration(
    features=list(FEATURES),
    mean=[0.0] * len(FEATURES),
    scale=[1.0] * len(FEATURES),
    coef=[5 / 0.38] + [0.0] * (len(FEATURES) - 1),
    intercept=-0.30 * 5 / 0.38,
    residual_sd=1.2,
    fitted_on="uncalibrated default",
    n=0,
)


@lru_cache(maxsize=1)
def current() -> Calibration:
    if not CALIBRATION_FILE.exists():
        return DEFAULT
    data = json.loads(CALIBRATION_FILE.read_text())
    if data.get("features") != FEATURES:
        return DEFAULT  # fitted for another feature set: refit before trusting it
    return Calibration(**data)
