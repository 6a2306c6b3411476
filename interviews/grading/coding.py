"""The grader for executable questions: runs the answer's code in the sandbox against the
question version's cases. Each case is a criterion; the score is the share of points passed,
on the same 0-5 scale as text grades.

A performance question adds one more criterion, "Performance", worth
`CodingSpec.performance_points`: the share `timing.performance_credit` of the median CPU-time
ratio against the budget (full within budget, linearly less up to twice the budget, none
beyond), and none at all if any case failed (fast and wrong earns nothing). The criterion's
evidence holds the ratio, its spread, the budget and the reference's noise against itself.
More than 3x faster than the reference is flagged for human review with the reason."""

import json

from interviews.execution.runner import RunResult, grade
from interviews.execution.spec import build_spec
from interviews.execution.timing import FLAG_FASTER_THAN, performance_credit, performance_text
from interviews.grading.base import CriterionResult, GradeResult, GradingItem

SCORE_MAX = 5


class CodingGrader:
    name = "code"

    def grade(self, item: GradingItem) -> GradeResult:
        spec = build_spec(item.slug or "question", item.coding_files)
        run = grade(spec, item.answer)
        return to_grade_result(run, spec.performance_points)


def performance_criterion(run: RunResult, points: int) -> CriterionResult:
    perf = run.performance or {}
    all_passed = run.status == "graded" and all(c.status == "passed" for c in run.cases)
    credit = performance_credit(perf.get("median_ratio"), perf.get("budget_ratio", 0.0)) if all_passed else 0.0
    if not all_passed:
        feedback = "No performance credit: every case must pass first."
        if perf.get("message"):
            feedback += " " + perf["message"]
    else:
        feedback = perf.get("message") or "Not timed."
    evidence = {
        k: perf.get(k)
        for k in ("median_ratio", "spread", "budget_ratio", "reference_noise", "ratios", "extra_rounds", "case")
        if perf.get(k) is not None
    }
    evidence["credit"] = credit
    return CriterionResult(
        criterion=performance_text(perf.get("budget_ratio", 0.0)),
        points=round(points * credit, 2),
        max_points=points,
        evidence=json.dumps(evidence),
        feedback=feedback,
        graded_by="code",
    )


def to_grade_result(run: RunResult, performance_points: int = 0) -> GradeResult:
    """Visible cases carry their inputs, expected and actual values and traceback as evidence;
    hidden cases only whether they passed and the exception type."""
    criteria = []
    for case in run.cases:
        label = f"Case {case.name} ({'visible' if case.visible else 'hidden'}) passes"
        if case.visible:
            evidence = json.dumps(
                {k: getattr(case, k) for k in ("inputs", "expected", "actual", "traceback") if getattr(case, k)}
            )
            feedback = case.message or case.status
        else:
            evidence = ""
            feedback = case.status + (f" ({case.error_type})" if case.error_type else "")
        criteria.append(
            CriterionResult(
                criterion=label, points=case.earned, max_points=case.points, evidence=evidence, feedback=feedback
            )
        )
    if run.status == "graded":
        passed = sum(c.status == "passed" for c in run.cases)
        summary = f"{run.score} of {run.max_points} points: {passed} of {len(run.cases)} cases passed."
    else:
        summary = f"Not gradable: {run.message}\n{run.traceback}".strip()
    earned, max_points = float(run.score), run.max_points
    confidence = 1.0
    notes = [f"sandbox {run.sandbox_seconds:.2f}s over {run.attempts} run(s)"]
    if performance_points:
        # A performance question not timed (a case failed, or the code is not gradable)
        # still carries its performance points, so its maximum never changes.
        performance = performance_criterion(run, performance_points)
        criteria.append(performance)
        earned += performance.points
        max_points += performance_points
    if run.performance is not None:
        summary += "\nPerformance: " + run.performance["message"]
        notes.append(json.dumps(run.performance))
        if run.performance["flagged"]:
            # Far faster than the reference is suspicious enough for a person to look
            # (a cached answer, a timing trick): low confidence puts it in review.
            confidence = 0.3
            reason = f"More than {FLAG_FASTER_THAN:g}x faster than the reference: flagged for human review."
            summary += " " + reason
            notes.append("needs review: " + reason)
    score = SCORE_MAX * earned / max_points if max_points else 0.0
    return GradeResult(
        score=round(score, 2),
        criteria=criteria,
        summary=summary,
        grader="code",
        confidence=confidence,
        notes=notes,
    )
