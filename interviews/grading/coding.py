"""The grader for executable questions: runs the answer's code in the sandbox against the
question version's cases. Each case is a criterion; the score is the share of points passed,
on the same 0-5 scale as text grades."""

import json

from interviews.execution.runner import RunResult, grade
from interviews.execution.spec import build_spec
from interviews.grading.base import CriterionResult, GradeResult, GradingItem

SCORE_MAX = 5


class CodingGrader:
    name = "code"

    def grade(self, item: GradingItem) -> GradeResult:
        spec = build_spec(item.slug or "question", item.coding_files)
        run = grade(spec, item.answer)
        return to_grade_result(run)


def to_grade_result(run: RunResult) -> GradeResult:
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
    score = SCORE_MAX * run.score / run.max_points if run.max_points else 0.0
    confidence = 1.0
    notes = [f"sandbox {run.sandbox_seconds:.2f}s over {run.attempts} run(s)"]
    if run.performance is not None:
        # Reported beside the score (not scored yet); far faster than the reference is
        # suspicious enough for a person to look.
        summary += "\nPerformance: " + run.performance["message"]
        notes.append(json.dumps(run.performance))
        if run.performance["flagged"]:
            confidence = 0.3
            summary += " More than 3x faster than the reference: flagged for review."
    return GradeResult(
        score=round(score, 2),
        criteria=criteria,
        summary=summary,
        grader="code",
        confidence=confidence,
        notes=notes,
    )
