from dataclasses import asdict, dataclass, field
from typing import Protocol

from interviews.models.questions import rubric_hash

# Grades with a confidence below this are flagged for a human reviewer.
REVIEW_BELOW = 0.5


@dataclass
class CriterionResult:
    criterion: str
    points: float
    max_points: int
    evidence: str
    feedback: str
    graded_by: str = "offline"  # which grader scored this criterion: a grade can mix them


@dataclass
class GradeResult:
    score: float  # 0-5
    criteria: list[CriterionResult]
    summary: str
    grader: str
    model_name: str = ""
    prompt_version: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    latency_ms: int = 0  # time spent in LLM calls
    llm_calls: int = 0
    confidence: float = 1.0  # 0-1
    fallback_reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_BELOW or bool(self.fallback_reason)

    @property
    def graded_by(self) -> dict[str, int]:
        """How many criteria each grader scored."""
        counts: dict[str, int] = {}
        for c in self.criteria:
            counts[c.graded_by] = counts.get(c.graded_by, 0) + 1
        return counts

    def criteria_json(self) -> list[dict[str, object]]:
        return [asdict(c) for c in self.criteria]


@dataclass(frozen=True)
class GradingItem:
    """What a grader sees: plain values, so graders never touch the ORM."""

    question: str
    reference_answer: str
    rubric: list[tuple[str, int]]  # (criterion text, points)
    answer: str
    numeric_answer: float | None = None
    numeric_tolerance: float | None = None
    numeric_unit: str = ""
    # Executable questions: the content files of the version answered (see interviews.execution).
    coding_files: dict[str, str] = field(default_factory=dict)
    slug: str = ""

    def rubric_version(self) -> str:
        """A short hash of the rubric, so a grade says exactly what it was graded against."""
        return rubric_hash(self.rubric)


class Grader(Protocol):
    name: str

    def grade(self, item: GradingItem) -> GradeResult: ...
