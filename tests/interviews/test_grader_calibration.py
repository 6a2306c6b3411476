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


def test_a_knotted_feature_becomes_pieces_that_rise_in_turn():
    """The classifier's feature as two pieces split at a knot: the first rises from 0 to 1
    below the knot, the second above it; every other feature passes through unchanged."""
    features = ["lexical_recall", "entailment"]
    rows = np.array([[0.3, 0.0], [0.3, 0.25], [0.3, 0.5], [0.3, 0.75], [0.3, 1.0]])
    out = calibration.design(rows, features, {"entailment": [0.5]})
    assert calibration.columns(features, {"entailment": [0.5]}) == [
        "lexical_recall",
        ("entailment", 0.0, 0.5),
        ("entailment", 0.5, 1.0),
    ]
    np.testing.assert_allclose(out[:, 0], 0.3)
    np.testing.assert_allclose(out[:, 1], [0, 0.5, 1, 1, 1])
    np.testing.assert_allclose(out[:, 2], [0, 0, 0, 0.5, 1])
    assert calibration.design(rows, features, {}) is rows  # no knots: the features as they are


def test_the_shipped_calibration_reads_the_classifier_as_a_curve():
    shipped = calibration.current()
    knots = shipped.knots.get("entailment")
    assert knots and 0 < knots[0] < 1
    assert len(shipped.weights) == len(calibration.columns(shipped.features, shipped.knots))


def test_a_calibration_file_whose_weights_do_not_fit_its_features_is_not_trusted(tmp_path, monkeypatch):
    stale = calibration.current()
    path = tmp_path / "calibration.json"
    calibration.Calibration(**{**stale.__dict__, "knots": {}}).save(path)  # one weight too many
    monkeypatch.setattr(calibration, "CALIBRATION_FILE", path)
    calibration.current.cache_clear()
    try:
        assert calibration.current() is calibration.DEFAULT
    finally:
        calibration.current.cache_clear()


def test_conformal_widths_cover_the_held_out_errors():
    rng = np.random.default_rng(1)
    predicted = rng.uniform(0, 5, 3000)
    human = np.clip(predicted + rng.normal(0, 0.8, 3000), 0, 5)
    widths = calibration.conformal(predicted[:1500], human[:1500])
    assert len(widths) == len(calibration.BANDS) - 1
    cal = calibration.Calibration(
        features=list(calibration.FEATURES),
        weights=[0.0] * len(calibration.FEATURES),
        bias=0.0,
        contradiction_penalty=0.0,
        fitted_on="test",
        n=0,
        intervals={"rubric": widths},
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


def test_each_question_kind_has_its_own_interval_widths():
    cal = calibration.Calibration(
        features=list(calibration.FEATURES),
        weights=[0.0] * len(calibration.FEATURES),
        bias=0.0,
        contradiction_penalty=0.0,
        fitted_on="test",
        n=0,
        intervals={"rubric": [0.5, 1.0, 1.5], "single": [3.0, 2.5, 2.0]},
    )
    assert cal.half_width(0.2, "rubric") == 0.5 and cal.half_width(4.0, "rubric") == 1.5
    assert cal.half_width(0.2, "single") == 3.0 and cal.half_width(2.0, "single") == 2.5
    assert calibration.kind(1) == "single" and calibration.kind(4) == "rubric"
    shipped = calibration.current()
    assert set(shipped.intervals) == set(calibration.KINDS)
    assert all(0 < w <= 5 for widths in shipped.intervals.values() for w in widths)


def test_a_zero_score_is_as_confident_as_the_calibration_errors_near_zero():
    from interviews.grading.base import GradingItem
    from interviews.grading.offline import OfflineGrader

    item = GradingItem(
        question="Why does bagging reduce variance?",
        reference_answer="Averaging many trees fitted on bootstrap samples cancels their independent errors.",
        rubric=[("Averaging cancels independent errors", 2), ("Bootstrap samples decorrelate the trees", 1)],
        answer="no idea",
    )
    result = OfflineGrader().grade(item)
    assert result.score == 0
    assert result.confidence == round(1 - calibration.current().half_width(0.0, "rubric") / 5, 3)
    assert result.confidence != 0.9  # the constant it replaced


def test_the_grader_reads_an_int8_model_on_one_thread_when_limited():
    import onnx
    import torch
    from threadpoolctl import threadpool_info

    from interviews import embeddings
    from interviews.int8_encoder import model_path

    encoder = embeddings.grading_model()
    assert encoder.session.get_session_options().intra_op_num_threads == 1  # GRADING_TORCH_THREADS
    ops = {node.op_type for node in onnx.load(str(model_path())).graph.node}
    assert {"DynamicQuantizeLinear", "MatMulInteger"} <= ops  # int8 matrix products
    # The same model as the fp32 one, to quantisation error.
    sentence = "Dropout randomly zeroes activations during training to reduce co-adaptation."
    (out,) = encoder.run([sentence])
    assert out.tokens[0] == "[CLS]" and out.tokens[-1] == "[SEP]"
    full = embeddings.model().encode([sentence], normalize_embeddings=True)[0]
    assert float(full @ (out.sentence_vector / np.linalg.norm(out.sentence_vector))) > 0.97
    before = torch.get_num_threads()
    try:
        embeddings.limit_threads(1)
        assert torch.get_num_threads() == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    finally:
        embeddings.limit_threads(before)
