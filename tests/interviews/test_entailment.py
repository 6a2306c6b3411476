"""The entailment classifier: the numpy forward pass the grader runs is the model that was
trained (torch), padding and all; training learns; no weights means no signal."""

import numpy as np
import pytest

from interviews.grading import entailment, entailment_training
from interviews.grading.entailment_training import Sample

torch = pytest.importorskip("torch")


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.normal(size=(n, entailment_training.DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def side(rng: np.random.Generator, n: int) -> entailment.Side:
    return unit(rng, n), (rng.uniform(size=n) < 0.3).astype(np.float32)


def test_the_numpy_forward_pass_is_the_trained_torch_model_padding_included():
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    model = entailment_training._model().eval()
    with torch.no_grad():
        model.q.normal_()  # trained models move it off zero
    params = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    # One answer against claims of different lengths, padded into one batch as in training;
    # the grader runs them unpadded, as segments of one array, for two models at once.
    claims = [side(rng, 4), side(rng, 9), side(rng, 1)]
    sample = Sample(side(rng, 7), claims, 0)
    tensors, owner = entailment_training._batch([sample])
    with torch.no_grad():
        padded = model(*tensors).numpy()
    assert list(owner) == [0, 0, 0]
    stacked = {k: np.stack([v, v]) for k, v in params.items()}
    ours = entailment.logits(stacked, sample.answer, claims)
    assert ours.shape == (2, 3, 3)
    assert np.allclose(ours[0], padded, atol=1e-4) and np.allclose(ours[1], padded, atol=1e-4)


def test_training_learns_to_tell_an_answer_that_states_the_claim_from_one_that_does_not():
    rng = np.random.default_rng(1)

    def sample(states: bool) -> Sample:
        claim = side(rng, 5)
        if states:  # the claim's tokens, slightly moved, among a few others
            tokens = claim[0] + rng.normal(scale=0.05, size=claim[0].shape).astype(np.float32)
            answer = (np.concatenate([tokens, unit(rng, 2)]), np.zeros(7, np.float32))
        else:
            answer = side(rng, 7)
        return Sample(answer, [claim], 0 if states else 1)

    train = [sample(i % 2 == 0) for i in range(400)]
    ensemble = entailment_training.train(train, seeds=1, epochs=15)
    stating = [entailment_training.predict(ensemble, sample(True)) for _ in range(20)]
    other = [entailment_training.predict(ensemble, sample(False)) for _ in range(20)]
    # 1 is "correct", 0.4 "incorrect": nearly every new answer on the right side of 0.7.
    assert sum(v > 0.7 for v in stating) >= 18 and sum(v < 0.7 for v in other) >= 18
    assert min(other) >= 0.0 and max(stating) <= 1.0


def test_without_a_trained_model_the_feature_is_zero():
    rng = np.random.default_rng(2)
    assert entailment.support(side(rng, 4), [side(rng, 3)], ensemble=()) == 0.0


def test_saved_weights_load_back_as_the_same_ensemble(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    params = {k: v.detach().numpy() for k, v in entailment_training._model().state_dict().items()}
    path = tmp_path / "entailment.npz"
    monkeypatch.setattr(entailment, "WEIGHTS_FILE", path)
    entailment_training.save([params, params], path)
    try:
        loaded = entailment.saved()
        assert loaded is not None and set(loaded) == set(params)
        assert all(loaded[k].shape == (2, *v.shape) for k, v in params.items())
        answer, claim = side(rng, 6), side(rng, 4)
        assert entailment.support(answer, [claim]) == pytest.approx(entailment.support(answer, [claim], [params]))
    finally:
        entailment.saved.cache_clear()


def test_the_calibration_learns_from_held_out_predictions_and_the_rest_from_the_saved_model(tmp_path, monkeypatch):
    from interviews.grading import datasets
    from interviews.grading.evaluation import offline_features, train_entailment

    if not datasets.semeval_available():
        pytest.skip(f"SemEval-2013 not found at {datasets.SEMEVAL_DIR}")
    monkeypatch.setattr(entailment, "WEIGHTS_FILE", tmp_path / "entailment.npz")
    monkeypatch.setattr(entailment_training, "SEEDS", 1)
    monkeypatch.setattr(entailment_training, "EPOCHS", 1)
    entailment.saved.cache_clear()  # another test may have loaded the shipped model
    semeval = datasets.named("semeval-training-beetle")[::25]
    golden = datasets.golden()[:5]
    rows = semeval + golden
    features = offline_features(rows)
    try:
        trained = train_entailment(rows, features, progress=lambda _: None)
        assert trained >= 100 and (tmp_path / "entailment.npz").exists()
        stacked = [f.criteria[0] for f in features[: len(semeval)] if not isinstance(f, str)]
        saved = [entailment.support(*c.pair) for c in stacked]
        # Out of fold: not what the saved model, which saw these questions, says of them.
        assert not np.allclose([c.entailment for c in stacked], saved, atol=1e-3)
        for f in features[len(semeval) :]:
            assert not isinstance(f, str)
            for c in f.criteria:
                assert c.entailment == pytest.approx(entailment.support(*c.pair))
    finally:
        entailment.saved.cache_clear()
