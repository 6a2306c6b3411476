from dataclasses import asdict, dataclass, field
from typing import Protocol


@dataclass
class CriterionResult:
    criterion: str
    points: float
    max_points: int
    evidence: str
    feedback: str


@dataclass
class GradeResult:
    score: float  # 0-5
    criteria: list[CriterionResult]
    summary: str
    grader: str
    model_name: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    notes: list[str] = field(default_factory=list)

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


class Grader(Protocol):
    name: str

    def grade(self, item: GradingItem) -> GradeResult: ...
