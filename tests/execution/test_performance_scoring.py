"""Performance questions are scored on the median CPU-time ratio (issue 12 item 5): full
credit within the budget, linearly less up to twice the budget, none beyond or when a case
fails; the ratio, its spread and the budget are in the grade; far faster goes to review."""

import json

import pytest

from interviews.execution.runner import CaseResult, RunResult
from interviews.execution.spec import load_spec, read_files
from interviews.execution.timing import performance_credit, relative_spread
from interviews.grading.base import GradingItem
from interviews.grading.coding import CodingGrader, to_grade_result
from tests.execution.conftest import CODING_DIR, needs_sandbox


def test_credit_is_full_within_budget_and_falls_to_zero_at_twice_the_budget():
    assert performance_credit(0.4, 3.0) == 1.0
    assert performance_credit(3.0, 3.0) == 1.0
    assert performance_credit(4.5, 3.0) == 0.5
    assert performance_credit(6.0, 3.0) == 0.0
    assert performance_credit(40.0, 3.0) == 0.0
    assert performance_credit(None, 3.0) == 0.0


def test_relative_spread_of_repeated_measurements():
    assert relative_spread([10.0, 10.0, 10.0]) == 0.0
    assert relative_spread([9.0, 10.0, 12.0]) == pytest.approx(0.3)


def _run(statuses, performance):
    cases = [
        CaseResult(name=f"c{i}", visible=False, points=2, earned=2 if s == "passed" else 0, status=s)
        for i, s in enumerate(statuses)
    ]
    return RunResult(
        status="graded",
        max_points=2 * len(cases),
        score=sum(c.earned for c in cases),
        cases=cases,
        performance=performance,
    )


def _timing(median, budget=2.0, flagged=False):
    return {
        "median_ratio": median,
        "spread": (median * 0.9, median * 1.1),
        "budget_ratio": budget,
        "ratios": [median],
        "reference_noise": 0.05,
        "extra_rounds": 0,
        "case": "large",
        "flagged": flagged,
        "within_budget": median <= budget,
        "message": f"CPU time {median}x",
    }


def test_partial_performance_credit_between_budget_and_twice_the_budget():
    result = to_grade_result(_run(["passed", "passed"], _timing(3.0)), performance_points=2)
    perf = result.criteria[-1]
    assert perf.criterion.startswith("Performance") and (perf.points, perf.max_points) == (1.0, 2)
    assert result.score == pytest.approx(5 * 5 / 6, abs=0.01)
    assert json.loads(perf.evidence)["median_ratio"] == 3.0


def test_fast_but_wrong_gets_no_performance_credit():
    result = to_grade_result(_run(["passed", "wrong"], _timing(0.9)), performance_points=2)
    perf = result.criteria[-1]
    assert perf.points == 0 and "every case must pass" in perf.feedback
    assert result.score == pytest.approx(5 * 2 / 6, abs=0.01)


def test_more_than_3x_faster_needs_review_with_the_reason():
    result = to_grade_result(_run(["passed"], _timing(0.2, flagged=True)), performance_points=1)
    assert result.needs_review
    assert "3x faster than the reference" in result.summary
    assert any(n.startswith("needs review:") for n in result.notes)


def _grade(directory, source):
    files = read_files(directory)
    item = GradingItem(
        question="q", reference_answer="", rubric=[], answer=source, coding_files=files, slug=directory.name
    )
    return CodingGrader().grade(item)


@needs_sandbox
def test_a_slow_loop_is_correct_but_earns_no_performance_credit():
    directory = CODING_DIR / "pairwise-distances"
    spec = load_spec(directory)
    result = _grade(directory, spec.starter)
    cases, perf = result.criteria[:-1], result.criteria[-1]
    assert all(c.points == c.max_points for c in cases)
    assert perf.points == 0 and perf.max_points == spec.performance_points
    evidence = json.loads(perf.evidence)
    assert evidence["median_ratio"] > 2 * spec.performance.budget_ratio
    assert evidence["budget_ratio"] == spec.performance.budget_ratio and len(evidence["spread"]) == 2
    assert result.score == pytest.approx(5 * spec.max_points / (spec.max_points + spec.performance_points), abs=0.01)


@needs_sandbox
def test_the_reference_as_a_candidate_gets_full_credit():
    directory = CODING_DIR / "pairwise-distances"
    spec = load_spec(directory)
    result = _grade(directory, spec.reference)
    perf = result.criteria[-1]
    assert result.score == 5.0 and perf.points == perf.max_points
    evidence = json.loads(perf.evidence)
    assert 0.5 < evidence["median_ratio"] < 2.0 and evidence["reference_noise"] >= 0
    assert "x the reference's" in perf.feedback and not result.needs_review
