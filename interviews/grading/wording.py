"""Words that follow the points. The verdict on each criterion and the grade's summary
are derived from the points actually awarded, so the feedback never contradicts the
numbers beside it: "every rubric point" only when every criterion has all its points,
"Missing" only for a criterion with none."""

import re

from interviews.grading.base import CriterionResult

# Share of a criterion's points -> verdict; the first threshold met wins.
VERDICTS = [(1.0, "Covered"), (0.75, "Mostly covered"), (0.4, "Partly covered"), (1e-9, "Barely covered")]
MISSING = "Missing"
ADVICE = {
    "Covered": "",
    "Mostly covered": "state it in full",
    "Partly covered": "make this explicit",
    "Barely covered": "explain",
    MISSING: "",
}
WEAKEST_NAMED = 2
# A grader's own words that claim a complete answer, dropped when points are missing.
COMPLETE_CLAIM = re.compile(
    r"\b(every|all)\s+(of\s+the\s+)?(rubric\s+points?|(rubric\s+)?criteri(a|on))\b|\bfully\s+(addresses|covers|answers)\b"
    r"|\bcomplete\s+answer\b|\bnothing\s+(is\s+)?missing\b",
    re.IGNORECASE,
)
# A verdict word a grader put at the start of its own feedback; ours replaces it.
LEADING_VERDICT = re.compile(
    r"^\s*(missing|covered|(partly|partially|mostly|not) covered|not addressed)\s*[:\-\u2013.]\s*",
    re.IGNORECASE,
)


def verdict(points: float, max_points: float) -> str:
    share = points / max_points if max_points > 0 else 0.0
    for threshold, word in VERDICTS:
        if share >= threshold:
            return word
    return MISSING


def criterion_feedback(points: float, max_points: float, criterion: str) -> str:
    """The offline grader's feedback on one criterion: the verdict, then the criterion."""
    word = verdict(points, max_points)
    advice = ADVICE[word]
    return f"{word}; {advice}: {criterion}" if advice else f"{word}: {criterion}"


def with_verdict(points: float, max_points: float, feedback: str) -> str:
    """A grader's free-text feedback led by the verdict its points earn (replacing any
    verdict word it started with, which may disagree with the points)."""
    text = LEADING_VERDICT.sub("", feedback).strip()
    word = verdict(points, max_points)
    return f"{word}: {text}" if text else word


def _points(value: float) -> str:
    return f"{value:g}"


def headline(criteria: list[CriterionResult], score: float | None = None) -> str:
    """One or two sentences on the whole answer, from the points: how much of the rubric
    it earns and which criteria are weakest. `score` (0-5), when it is not simply the
    points' share, keeps a full-points rubric from being called complete at a lower score."""
    total = sum(c.max_points for c in criteria)
    earned = sum(c.points for c in criteria)
    if not criteria or total <= 0:
        return ""
    if earned <= 0:
        return "The answer does not address the rubric points yet; each point above says what to cover."
    short = [c for c in criteria if c.points < c.max_points]
    if not short:
        if score is None or score >= 5:
            return "The answer addresses every rubric point."
        return (
            f"Each criterion earned its points, but the overall score ({_points(score)}/5) is lower: "
            "the answer is less complete or precise than the reference."
        )
    share = earned / total
    extent = "most of" if share >= 0.75 else "part of" if share >= 0.4 else "little of"
    weakest = sorted(short, key=lambda c: (c.points / c.max_points if c.max_points else 0, c.points - c.max_points))
    named = "; ".join(
        f"{c.criterion.rstrip('. ')} ({_points(c.points)}/{_points(c.max_points)})" for c in weakest[:WEAKEST_NAMED]
    )
    return f"The answer covers {extent} the rubric ({_points(earned)} of {_points(total)} points). Weakest: {named}."


def summary(criteria: list[CriterionResult], notes: list[str], score: float | None = None) -> str:
    return " ".join([*notes, headline(criteria, score)]).strip()


def agreeing_summary(criteria: list[CriterionResult], text: str) -> str:
    """A grader's own summary, led by the headline the points earn; its sentences that
    claim a complete answer are dropped when a criterion is short of points."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip()) if text.strip() else []
    if any(c.points < c.max_points for c in criteria):
        sentences = [s for s in sentences if not COMPLETE_CLAIM.search(s)]
    return " ".join([headline(criteria), *sentences]).strip()
