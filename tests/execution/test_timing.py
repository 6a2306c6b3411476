"""Performance questions: CPU time of candidate and reference, each in its own sandbox,
read from outside, alternating rounds, outputs re-checked."""

import shutil

import pytest

from interviews.execution.spec import load_spec
from interviews.execution.timing import time_submission
from tests.execution.conftest import CODING_DIR, needs_sandbox

pytestmark = needs_sandbox


@pytest.fixture(scope="module")
def spec():
    return load_spec(CODING_DIR / "pairwise-distances")


def test_the_reference_against_itself_is_within_budget(spec):
    timing = time_submission(spec, spec.reference)
    assert timing.case == "large"
    # More rounds when the reference against itself was noisy, never fewer.
    assert spec.performance.rounds <= len(timing.ratios) <= 2 * spec.performance.rounds
    assert timing.reference_noise is not None
    assert 0.5 < timing.median_ratio < 2.0
    assert timing.within_budget and not timing.flagged
    assert timing.spread[0] <= timing.median_ratio <= timing.spread[1]
    assert "x the reference's" in timing.message


def test_the_python_loop_is_over_budget(spec):
    timing = time_submission(spec, spec.starter)
    assert timing.median_ratio > spec.performance.budget_ratio
    assert not timing.within_budget
    assert min(timing.candidate_cpu_ms) > max(timing.reference_cpu_ms)


def test_wrong_output_on_the_timed_inputs_fails(spec):
    source = spec.reference.replace("return np.einsum", "return 1.001 * np.einsum")
    timing = time_submission(spec, source)
    assert not timing.within_budget and timing.median_ratio is None
    assert "wrong on the timed inputs" in timing.message


def test_code_that_hangs_while_timed_fails_without_hanging_the_worker(spec):
    source = spec.reference.replace("    diff =", "    while True:\n        pass\n    diff =")
    timing = time_submission(spec, source, case_seconds=1.0)
    assert not timing.within_budget
    assert timing.message.startswith("Your code failed while timed")


def test_far_faster_than_the_reference_is_flagged(tmp_path, spec):
    slow = tmp_path / "pairwise-distances"
    shutil.copytree(CODING_DIR / "pairwise-distances", slow)
    (slow / "reference.py").write_text(spec.starter)  # the loop as the reference
    timing = time_submission(load_spec(slow), spec.reference)
    assert timing.flagged and timing.within_budget


def test_a_noisy_reference_buys_more_rounds_and_a_calm_one_none(spec, monkeypatch):
    from interviews.execution import timing as timing_module

    monkeypatch.setattr(timing_module, "NOISY_SPREAD", -1.0)  # any spread counts as noisy
    noisy = time_submission(spec, spec.reference)
    assert noisy.extra_rounds == spec.performance.rounds
    assert len(noisy.ratios) == len(noisy.reference_cpu_ms) == 2 * spec.performance.rounds
    assert "extra rounds were run" in noisy.message
    monkeypatch.setattr(timing_module, "NOISY_SPREAD", 100.0)  # nothing counts as noisy
    calm = time_submission(spec, spec.reference)
    assert calm.extra_rounds == 0 and len(calm.ratios) == spec.performance.rounds
