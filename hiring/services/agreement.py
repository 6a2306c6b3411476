"""How well the automatic grades agree with the reviewers: per question, per rubric
criterion and per grader. Each answer's override is compared with the automatic
grade the reviewer saw."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.text import Truncator

from hiring.models import ScoreOverride
from hiring.services.shown import fixed
from interviews.models import Question, QuestionSet


@dataclass
class Agreement:
    label: str
    n: int
    mae: float
    pearson: float | None  # None when fewer than 3 pairs or a side never varies
    within_one: float  # share of pairs within one point
    # As the page prints them (floatformat:2 and the localised count), worked out once: a
    # results page shows ~40 of these rows, and the filters cost more than the rest of it.
    shown: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.shown = {
            "n": str(self.n),
            "mae": fixed(self.mae, 2),
            "pearson": fixed(self.pearson, 2),
            "within_one": fixed(self.within_one, 2),
        }

    @classmethod
    def of(cls, label: str, pairs: list[tuple[float, float]]) -> "Agreement":
        n = len(pairs)
        errors = [abs(a - h) for a, h in pairs]
        return cls(
            label=label,
            n=n,
            mae=sum(errors) / n,
            pearson=pearson(pairs),
            within_one=sum(1 for e in errors if e <= 1.0) / n,
        )


def pearson(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < 3:
        return None
    xs, ys = zip(*pairs, strict=True)
    if len(set(xs)) == 1 or len(set(ys)) == 1:
        return None  # undefined: one side never varies
    # The standard library's: scipy's pearsonr costs ~0.7 ms a call in checks and
    # p-values nobody reads, and a results page asks for one per question and criterion.
    return statistics.correlation(xs, ys)


@dataclass
class AgreementReport:
    overall: Agreement | None
    by_question: list[Agreement]
    by_criterion: list[Agreement]  # points on the criterion's own scale
    by_grader: list[Agreement]


@dataclass
class ReviewedPair:
    """An answer's override (the override that counts) beside the automatic grade its
    reviewer saw: the few fields agreement reads, loaded as plain rows."""

    question_id: int
    human: float
    human_criteria: list[dict[str, object]]
    auto: float | None
    auto_criteria: list[dict[str, object]]
    grader: str


def latest_overrides(question_set: QuestionSet) -> list[ReviewedPair]:
    """Each answer's override (the override that counts), where its reviewer saw a grade.
    Rows rather than model objects: a set may have thousands of reviewed answers, and
    agreement reads six fields of each."""
    rows = (
        ScoreOverride.objects.filter(
            answer__session__question_set__template=question_set, grade__isnull=False, pk=F("answer__override")
        )
        .order_by("answer_id")
        .values_list("answer__question_id", "score", "criteria", "grade__score", "grade__criteria", "grade__grader")
    )
    return [ReviewedPair(q, human, hc or [], auto, ac or [], grader) for q, human, hc, auto, ac, grader in rows]


GRADER_NAMES = {"llm": "LLM grader", "offline": "Built-in grader"}


def grader_label(grader: str) -> str:
    """A grader's name for people, not its internal key."""
    return GRADER_NAMES.get(grader, f"{grader.capitalize()} grader" if grader else "Unknown grader")


def question_label(question: Question) -> str:
    """A question by the start of its prompt (what reviewers read), never its slug."""
    first_line = next((line.strip(" #*>`") for line in question.prompt.splitlines() if line.strip()), "")
    return Truncator(first_line or question.slug).chars(70)


def agreement_for(question_set: QuestionSet) -> AgreementReport:
    # Grouped by what is being measured (question id, criterion, grader key), labelled for
    # people: two questions that start alike still get a row each.
    by_question: dict[tuple[object, ...], list[tuple[float, float]]] = defaultdict(list)
    by_criterion: dict[tuple[object, ...], list[tuple[float, float]]] = defaultdict(list)
    by_grader: dict[tuple[object, ...], list[tuple[float, float]]] = defaultdict(list)
    overall: list[tuple[float, float]] = []
    labels: dict[int, str] = {}  # one label per question, not one per reviewed answer
    reviewed = [r for r in latest_overrides(question_set) if r.auto is not None]
    questions = Question.objects.only("id", "slug", "prompt").in_bulk({r.question_id for r in reviewed})
    for row in reviewed:
        assert row.auto is not None
        pair = (row.auto, row.human)
        overall.append(pair)
        question = questions[row.question_id]
        if question.pk not in labels:
            labels[question.pk] = question_label(question)
        by_question[(question.pk, labels[question.pk])].append(pair)
        by_grader[(row.grader, grader_label(row.grader))].append(pair)
        auto_points = {c["criterion"]: float(c["points"]) for c in row.auto_criteria}  # type: ignore[arg-type]
        for criterion in row.human_criteria:
            if criterion["criterion"] in auto_points:
                label = f"{labels[question.pk]}: {criterion['criterion']}"
                key = (question.pk, criterion["criterion"], label)
                by_criterion[key].append((auto_points[criterion["criterion"]], float(criterion["points"])))  # type: ignore[arg-type]

    def table(groups: dict[tuple[object, ...], list[tuple[float, float]]]) -> list[Agreement]:
        rows = (Agreement.of(str(key[-1]), pairs) for key, pairs in groups.items())
        return sorted(rows, key=lambda a: (-a.mae, a.label))

    return AgreementReport(
        overall=Agreement.of("All reviewed answers", overall) if overall else None,
        by_question=table(by_question),
        by_criterion=table(by_criterion),
        by_grader=table(by_grader),
    )
