"""The offline grader's calibration: monotone shares, split-conformal widths, and fitting
on training data only."""

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from interviews.grading import calibration


def test_more_evidence_never_lowers_a_share():
    shipped = calibration.current()
    assert shipped.n > 0 and all(w >= 0 for w in shipped.weights)
    rng = np.random.default_rng(0)
    rows = rng.uniform(0, 1, size=(200, len(calibration.FEATURES)))
    base = shipped.shares(rows, np.zeros(200))
    for k in range(len(calibration.FEATURES)):
        more = rows.copy()
        more[:, k] += 0.1
        assert (shipped.shares(more, np.zeros(200)) >= base - 1e-12).all()
    assert (shipped.shares(rows, np.ones(200)) <= base + 1e-12).all()  # a contradiction never helps


def test_conformal_widths_cover_the_held_out_errors():
    rng = np.random.default_rng(1)
    predicted = rng.uniform(0, 5, 3000)
    human = np.clip(predicted + rng.normal(0, 0.8, 3000), 0, 5)
    widths = calibration.conformal(predicted[:1500], human[:1500])
    assert len(widths) == len(calibration.BANDS) - 1
    cal = calibration.Calibration(
        features=list(calibration.FEATURES),
        weights=[0.0] * 4,
        bias=0.0,
        contradiction_penalty=0.0,
        fitted_on="test",
        n=0,
        interval=widths,
    )
    inside = np.mean([abs(h - p) <= cal.half_width(p) for p, h in zip(predicted[1500:], human[1500:], strict=True)])
    assert 0.86 <= inside <= 0.95


def test_the_calibration_is_never_fitted_on_a_test_split():
    with pytest.raises(CommandError, match="training data only"):
        call_command("fit_grader_calibration", "--dataset", "semeval-test-unseen-questions")


def test_semeval_splits_load_per_corpus_with_alternative_references_as_one_criterion():
    from interviews.grading import datasets

    if not datasets.semeval_available():
        pytest.skip(f"SemEval-2013 not found at {datasets.SEMEVAL_DIR}")
    rows = datasets.named("semeval-test-unseen-questions-beetle")
    assert len(rows) > 500
    assert all(r.group.startswith("beetle:") and len(r.item.rubric) == 1 for r in rows)
    assert {r.score for r in rows} == {0.0, 2.0, 5.0}
    with pytest.raises(ValueError):
        datasets.named("semeval-test-everything")
