"""Text in an answer that addresses the grader instead of the question.

Both graders remove such sentences before grading and flag the grade for review, so an
injected instruction or a fake grading block can never raise a score, even when a model
would have obeyed it. The LLM grader also fences the answer as untrusted data."""

import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from interviews.grading.base import GradeResult, GradingItem

INJECTION_NOTE = "Text addressed to the grader was found in the answer and ignored."

INJECTION = re.compile(
    # "ignore the rubric", "disregard all previous instructions" (but not "the forget gate
    # decides how much of the previous cell state to keep": the object must be the grader's)
    r"\b(ignore|disregard|forget|override)\b(\s+(all|any|the|your|my|these|those|of|previous|prior|above|earlier"
    r"|preceding|grading|system|scoring))*\s+(instructions?|rubrics?|prompts?|rules|criteria|guidelines|directions)\b"
    r"|\b(ignore|disregard|forget)\s+(everything|all|anything)\s+(above|before|previous|prior|else)\b"
    r"|\b(award|give|assign|grant)\b.{0,30}\b(full|maximum|max|perfect|all)\b.{0,15}\b(marks?|points?|scores?|credit)"
    r"|\b(you are|act as)\b.{0,30}\b(grader|assistant|system)\b"
    r"|^\s*(system|assistant)\s*:"
    r"|\bsystem prompt\b|<<<|[A-Za-z0-9_-]>>>|\"(criteria|points|score)\"\s*:"
    r"|\b(score|grade)\s*[:=]\s*\d+(\.\d+)?\s*(/|out of)\s*\d+",
    re.IGNORECASE | re.DOTALL | re.MULTILINE,
)
SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def strip_injections(text: str) -> tuple[str, bool]:
    """The answer without sentences that talk to the grader, and whether any were found."""
    kept, found = [], False
    for sentence in SPLIT.split(text):
        if INJECTION.search(sentence):
            found = True
        else:
            kept.append(sentence)
    return (" ".join(kept).strip() if found else text), found


def ignoring_injections(grade: Callable[[Any, GradingItem], GradeResult]) -> Callable[[Any, GradingItem], GradeResult]:
    """Wrap a grader's `grade`: grade the answer without the injected sentences (even a model
    that would obey them never sees them), say so, and send the grade to a reviewer."""

    @functools.wraps(grade)
    def wrapper(self: Any, item: GradingItem) -> GradeResult:
        clean, injected = strip_injections(item.answer)
        if not injected:
            return grade(self, item)
        result = grade(self, replace(item, answer=clean))
        result.notes.append(INJECTION_NOTE)
        result.summary = f"{INJECTION_NOTE} {result.summary}"
        result.confidence = min(result.confidence, 0.4)
        return result

    return wrapper
