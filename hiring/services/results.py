"""Results of a team's set: one row per attempt, the transcript of an attempt, outdated
grades and the CSV export (reviewers' overrides and queue: overrides.py).

The score that counts for an answer is its reviewer override if there is one, else its
counted grade (Answer.override, Answer.counted_grade: stored when they are written, read
here and in SQL by Answer.objects.with_counted_score()); every grade and override stays on
record."""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.text import Truncator

from accounts import audit
from accounts.models import User
from hiring.models import AssessmentEvent, AssessmentInvite, ScoreOverride
from hiring.services.shown import fixed
from interviews.grading.base import REVIEW_BELOW
from interviews.grading.guards import INJECTION_NOTE
from interviews.grading.service import regrade
from interviews.models import Answer, Grade, InterviewSession, Question, QuestionSet, QuestionSetItem
from interviews.models.questions import rubric_versions
from interviews.models.sessions import AnswerQuerySet

MARKDOWN_MARKS = re.compile(r"\*\*|`")


@dataclass
class AnswerResult:
    """An answer with its grading and review history, built once from rows loaded together;
    what is derived from them is cached (a results table or CSV reads it many times a row)."""

    answer: Answer
    grades: list[Grade] = field(default_factory=list)  # oldest first
    overrides: list[ScoreOverride] = field(default_factory=list)  # newest first
    # The question's current rubric version, when the caller computed it once for all the
    # answers to that question (hashing the rubric per answer cost a results page ~15 ms).
    current_rubric: str | None = None

    @cached_property
    def grade(self) -> Grade | None:
        """The automatic grade that counts (Answer.counted_grade), if one has finished."""
        return next((g for g in self.grades if g.pk == self.answer.counted_grade_id), None)

    @cached_property
    def latest(self) -> Grade | None:
        """The newest grading attempt: shows a regrade in flight or a failed first grade."""
        return self.grades[-1] if self.grades else None

    @cached_property
    def shown_grade(self) -> Grade | None:
        """What a page shows: the grade that counts, else the attempt still running or failed."""
        return self.grade or self.latest

    @cached_property
    def override(self) -> ScoreOverride | None:
        """The reviewer override on top (Answer.override)."""
        return next((r for r in self.overrides if r.pk == self.answer.override_id), None)

    @cached_property
    def score(self) -> float | None:
        """The score that counts: the override, else the counted grade's."""
        if self.override is not None:
            return self.override.score
        return self.grade.score if self.grade is not None else None

    @cached_property
    def pending(self) -> bool:
        """A grade is queued or running: the first one, or a regrade in flight."""
        return self.latest is not None and self.latest.is_pending

    @cached_property
    def outdated(self) -> bool:
        """Graded against a rubric the question no longer has, and no regrade in flight (never
        for a code answer: it is graded by the version it answered, Answer.graded_by_its_version)."""
        grade = self.grade
        if grade is None or self.pending or self.answer.graded_by_its_version:
            return False
        current = self.current_rubric if self.current_rubric is not None else self.answer.question.rubric_version()
        return grade.rubric_version != current

    @cached_property
    def seen_grade(self) -> Grade | None:
        """The automatic grade the override's reviewer saw (a later regrade may count now)."""
        override = self.override
        if override is None or override.grade_id is None:
            return None
        return next((g for g in self.grades if g.pk == override.grade_id), None)

    @property
    def human_gap(self) -> float | None:
        """How far the override is from the automatic grade its reviewer saw."""
        seen = self.seen_grade
        if self.override is None or seen is None or seen.score is None:
            return None
        return abs(self.override.score - seen.score)

    @cached_property
    def disagreement(self) -> float:
        """Spread of the automatic scores this answer has had (graders, regrades)."""
        scores = [g.score for g in self.grades if g.status == Grade.Status.DONE and g.score is not None]
        return max(scores) - min(scores) if len(scores) > 1 else 0.0

    @cached_property
    def reasons(self) -> list[str]:
        """Why this answer is in the review queue, in the queue's own terms."""
        grade = self.grade
        if grade is None:
            failed = self.latest is not None and self.latest.status == Grade.Status.FAILED
            return ["grading failed" if failed else "not graded"]
        found = []
        if getattr(grade, "injection_flagged", False):  # annotated by results_for
            found.append("injection flagged")
        if grade.fallback_reason:
            found.append("fallback grader")
        if grade.confidence is not None and grade.confidence < REVIEW_BELOW:
            found.append(f"low confidence {grade.confidence:.2f}")
        elif grade.needs_review and not found:
            found.append("flagged")
        if self.disagreement:
            found.append(f"graders disagree by {self.disagreement:.1f}")
        if not found and grade.confidence is not None:
            found.append(f"confidence {grade.confidence:.2f}")  # ranked by how unsure the grader was
        return found

    @cached_property
    def shown(self) -> dict[str, str]:
        """What the review page prints of this answer, worked out once per answer as its
        template's filters printed it (truncatewords:10, floatformat:1 and :2, join): in the
        loops over its 120 rows the filters and their lookups cost more than the rows."""
        grade, seen, override = self.grade, self.seen_grade, self.override
        return {
            # Plain text: bold and code marks would show as literal ** and ` here.
            "prompt": Truncator(MARKDOWN_MARKS.sub("", self.answer.asked.prompt)).words(10, truncate=" …"),
            "score": "–" if grade is None or grade.score is None else fixed(grade.score, 1),
            "confidence": fixed(grade.confidence, 2) if grade is not None else "",
            "why": "; ".join(self.reasons),
            "seen_score": fixed(seen.score, 1) if seen is not None else "",
            "override_score": fixed(override.score, 1) if override is not None else "",
            "gap": fixed(self.human_gap, 1),
        }

    @property
    def priority(self) -> float:
        """Review-queue order: failed or flagged grades first, then low confidence or
        graders that disagree."""
        grade = self.grade
        if grade is None:
            return 3.0
        flagged = 1.0 if grade.needs_review else 0.0
        unsure = 1.0 - (grade.confidence if grade.confidence is not None else 0.0)
        return flagged + max(unsure, self.disagreement / 5.0)


@dataclass
class AnswerRow:
    """What a results table or CSV reads of an answer, from one plain row (answer_rows):
    the same figures as AnswerResult's, without loading every grade and override of a set
    as objects."""

    answer_id: int
    question: Question  # shared by the answers to it
    score: float | None  # AnswerResult.score
    pending: bool  # AnswerResult.pending
    outdated: bool  # AnswerResult.outdated
    needs_review: bool  # no override, and the counted grade asks for review
    reviewed: bool  # an override counts


@dataclass
class Attempt:
    invite: AssessmentInvite
    session: InterviewSession | None
    questions: int
    answers: list[AnswerRow] = field(default_factory=list)
    pastes: int = 0
    focus_losses: int = 0

    # Cached: a results table reads each of these figures twice a row (to decide whether to
    # show a chip, then in it), and the counts walk the attempt's answers.
    @cached_property
    def status(self) -> str:
        return self.invite.status

    @cached_property
    def total_percent(self) -> float | None:
        """Share of the set's points earned: unanswered questions count zero."""
        scores = [a.score for a in self.answers]
        if not scores or any(s is None for s in scores):
            return None
        return 100.0 * sum(s for s in scores if s is not None) / (5.0 * self.questions)

    # What a results row prints, as the template's filters printed it (floatformat:0, the
    # answers' |length, the localised minutes), worked out once per row: on a page of 50
    # rows the filters and the number localisation cost more than the figures themselves.
    @cached_property
    def total_shown(self) -> str:
        return fixed(self.total_percent, 0)

    @cached_property
    def answered_shown(self) -> str:
        return f"{len(self.answers)}/{self.questions}"

    @cached_property
    def minutes_shown(self) -> str:
        return "" if self.minutes is None else str(self.minutes)

    @cached_property
    def by_skill(self) -> dict[str, float]:
        grouped: dict[str, list[float]] = defaultdict(list)
        for result in self.answers:
            skill = result.question.primary_skill
            if result.score is not None and skill is not None:
                grouped[skill.name].append(result.score)
        return {name: sum(v) / len(v) for name, v in sorted(grouped.items())}

    def skill_percents(self, skills: list[str]) -> list[str]:
        """The mean per skill as a whole percentage of 5 points with its "%" sign, one per
        given skill ("" where it has none): what {% widthratio score 5 100 %}% printed,
        worked out here because the tag (then the test of each cell) cost a results page
        of 50 rows and 7 skills ~1 ms."""
        by_skill = self.by_skill
        return [f"{round(by_skill[skill] / 5.0 * 100)}%" if skill in by_skill else "" for skill in skills]

    @property
    def duration(self) -> timedelta | None:
        if self.session is None:
            return None
        end = self.session.finished_at or timezone.now()
        if self.session.deadline is not None:
            end = min(end, self.session.deadline)
        return end - self.session.started_at

    @cached_property
    def minutes(self) -> float | None:
        duration = self.duration
        return round(duration.total_seconds() / 60, 1) if duration is not None else None

    @cached_property
    def reviewed(self) -> int:
        return sum(1 for a in self.answers if a.reviewed)

    @cached_property
    def outdated(self) -> int:
        return sum(1 for a in self.answers if a.outdated)

    @cached_property
    def needs_review(self) -> int:
        return sum(1 for a in self.answers if a.needs_review)

    @cached_property
    def pending(self) -> int:
        """Answers whose automatic grade is still queued or running."""
        return sum(1 for a in self.answers if a.pending)


# What tables of many answers need from a grade; a transcript loads the whole row.
SUMMARY_FIELDS = [
    "id", "answer_id", "status", "score", "confidence", "needs_review", "rubric_version", "grader", "fallback_reason",
]  # fmt: skip


def results_for(answers: Iterable[Answer], summary: bool = False) -> list[AnswerResult]:
    """Each answer with its grade and override history, in three queries whatever the
    number of answers. Plain grouped queries rather than prefetch_related: on a page of
    hundreds of answers, the per-object prefetch bookkeeping cost more than the SQL."""
    answers = list(answers)
    ids = [a.pk for a in answers]
    grades: dict[int, list[Grade]] = defaultdict(list)
    graded = (
        Grade.objects.filter(answer_id__in=ids)
        .annotate(
            injection_flagged=ExpressionWrapper(Q(summary__startswith=INJECTION_NOTE), output_field=BooleanField())
        )
        .order_by("pk")
    )
    for grade in graded.only(*SUMMARY_FIELDS) if summary else graded:
        grades[grade.answer_id].append(grade)
    overrides: dict[int, list[ScoreOverride]] = defaultdict(list)
    # The reviewers in a query of their own: joined, PostgreSQL expected an override for
    # every answer and hashed all 10,600 users (3.7 ms) for the review page's 20.
    for override in (
        ScoreOverride.objects.filter(answer_id__in=ids).prefetch_related("reviewer").order_by("-created_at", "-pk")
    ):
        overrides[override.answer_id].append(override)
    rubrics = _share_questions(answers, lean=summary)
    return [AnswerResult(a, grades[a.pk], overrides[a.pk], current_rubric=rubrics.get(a.question_id)) for a in answers]


def _share_questions(answers: list[Answer], lean: bool = False) -> dict[int, str]:
    """Point answers to the same question at one Question object, loaded once with its
    skill and rubric, rather than one copy per answer (a set has few questions, a set's
    results many answers), and return each question's current rubric version (none when
    `lean`: for tables, which never show a reference answer, code or an outdated grade)."""
    # The review queue's tables read neither the reference answer, the code nor the current
    # rubric (outdated grades are the results page's, which reads answer_rows): a queue of
    # 120 answers to 100 questions loaded 400 criteria for nothing.
    # Lean: a queue shows the prompt (of answers without a version) and reads the kind
    # (graded_by_its_version), not the skill.
    if lean:
        loaded = Question.objects.only("slug", "kind", "prompt")
    else:
        loaded = Question.objects.select_related("primary_skill").prefetch_related("criteria")
    questions = loaded.in_bulk({a.question_id for a in answers})
    for answer in answers:
        answer.question = questions[answer.question_id]
    return {} if lean else {pk: question.rubric_version() for pk, question in questions.items()}


def result_of(answer: Answer) -> AnswerResult:
    # What counts moves under a worker or another reviewer: read it now, not when the
    # caller loaded the answer.
    answer.refresh_from_db(fields=["counted_grade", "override"])
    return results_for([answer])[0]


def invitations(question_set: QuestionSet) -> "QuerySet[AssessmentInvite]":
    # Without their sessions: attempts() loads those once, with what the rows count of them
    # (joined here as well, a set of 206 attempts parsed ~2,000 dates twice).
    return AssessmentInvite.objects.filter(question_set=question_set).order_by("-created_at", "-pk")


def _count(rows: "QuerySet[Any]") -> Subquery:
    """COUNT(*) of these rows as a correlated subquery: one row, 0 when there are none."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def attempts(question_set: QuestionSet, invites: "Iterable[AssessmentInvite] | None" = None) -> list[Attempt]:
    """The set's invitations (or the given page of them), each with its attempt if started,
    in a fixed number of queries."""
    if invites is None:
        # The whole set (the CSV): what its rows read of an invitation (email and status), and
        # its attempts found by joining on the set rather than by 200 ids spelled out in the
        # SQL, which psycopg parsed and sent twice (~2 ms at 206 attempts).
        invites = list(invitations(question_set).only("email", "session_id", "accepted_at", "expires_at"))
        started = InterviewSession.objects.filter(invite__question_set=question_set)
    else:
        invites = list(invites)
        started = InterviewSession.objects.filter(invite__in=[i.pk for i in invites])
    # Each count a subquery of its own: counted through joins, every session's items were
    # multiplied by its events and made distinct again (206 attempts: 2.4 -> 1.3 ms).
    events = AssessmentEvent.objects.filter(session=OuterRef("pk"))
    sessions = {
        s.pk: s
        for s in started.annotate(
            n_questions=_count(QuestionSetItem.objects.filter(question_set=OuterRef("question_set"))),
            pastes=_count(events.filter(kind=AssessmentEvent.Kind.PASTE)),
            focus_losses=_count(events.filter(kind=AssessmentEvent.Kind.FOCUS_LOST)),
        )
    }
    by_session: dict[int, list[AnswerRow]] = defaultdict(list)
    for session_id, row in answer_rows(started.values("pk")):
        by_session[session_id].append(row)
    rows = []
    in_set = None  # the set's size, for invitations not taken up: asked only if there are some
    for invite in invites:
        session = sessions.get(invite.session_id) if invite.session_id else None
        if session is None:
            if in_set is None:
                in_set = question_set.items.count()
            rows.append(Attempt(invite=invite, session=None, questions=in_set))
            continue
        # What invite.status reads, loaded once. Cached on the invitation alone: assigning
        # `invite.session = session` caches the invitation on the session too, a reference
        # cycle per row that only a full collection frees (a 17-22 ms pause every few CSVs).
        AssessmentInvite.session.field.set_cached_value(invite, session)
        rows.append(
            Attempt(
                invite=invite,
                session=session,
                questions=session.n_questions,  # type: ignore[attr-defined]
                answers=by_session[session.pk],
                pastes=session.pastes,  # type: ignore[attr-defined]
                focus_losses=session.focus_losses,  # type: ignore[attr-defined]
            )
        )
    return rows


ROW_FIELDS = [
    "pk", "session_id", "question_id", "question_version_id", "counted_score", "latest_status",
    "counted_grade_id", "counted_grade__rubric_version", "counted_grade__needs_review", "override_id",
]  # fmt: skip


def answer_rows(session_ids: "list[int] | QuerySet[Any, Any]") -> list[tuple[int, AnswerRow]]:
    """(session id, row) for every answer of these sessions (ids, or a query of them), in
    the order answered: one query of plain values and two of the few questions, whatever
    the number of answers."""
    latest_status = Grade.objects.filter(answer=OuterRef("pk")).order_by("-pk").values("status")[:1]
    rows = list(
        Answer.objects.filter(session_id__in=session_ids)
        .with_counted_score()
        .annotate(latest_status=Subquery(latest_status))
        .order_by("submitted_at", "pk")
        .values_list(*ROW_FIELDS)
    )
    # What the rows read of a question: its slug, kind and skill (not its prompt, reference
    # answer or code), and its current rubric version from its criteria rows.
    loaded = Question.objects.select_related("primary_skill").defer("prompt", "reference_answer", "coding_files")
    questions = loaded.in_bulk({row[2] for row in rows})
    current = rubric_versions(questions)
    pending_statuses = {Grade.Status.QUEUED, Grade.Status.RUNNING}
    result = []
    for pk, session_id, question_id, version_id, score, status, grade_id, rubric, flagged, override_id in rows:
        question = questions[question_id]
        pending = status in pending_statuses
        # As AnswerResult.outdated: a code answer is graded by the version it answered.
        by_its_version = question.kind == Question.Kind.CODING and version_id is not None
        outdated = grade_id is not None and not pending and not by_its_version and rubric != current[question_id]
        needs_review = override_id is None and grade_id is not None and bool(flagged)
        row = AnswerRow(pk, question, score, pending, outdated, needs_review, reviewed=override_id is not None)
        result.append((session_id, row))
    return result


@dataclass
class TranscriptEntry:
    position: int
    question: Question
    result: AnswerResult | None
    draft_text: str  # typed but never submitted (time ran out, or left)
    events: list[AssessmentEvent]


def transcript(session: InterviewSession) -> list[TranscriptEntry]:
    loaded = Answer.objects.filter(session=session).select_related("question_version")
    answers = {r.answer.question_id: r for r in results_for(loaded)}
    drafts = dict(session.drafts.values_list("question_id", "text"))
    events: dict[int | None, list[AssessmentEvent]] = defaultdict(list)
    for event in session.events.all():
        events[event.question_id].append(event)
    entries = []
    for position, question in enumerate(session.ordered_questions(), start=1):
        result = answers.get(question.pk)
        entries.append(
            TranscriptEntry(
                position=position,
                question=question,
                result=result,
                draft_text="" if result else drafts.get(question.pk, ""),
                events=events.get(question.pk, []),
            )
        )
    return entries


def _graded_now(question_set: QuestionSet) -> AnswerQuerySet:
    """Answers in the set's attempts with a counted grade and no regrade in flight, less
    code answers (graded by the version they answered: an edit never outdates them)."""
    return (
        Answer.objects.filter(session__question_set__template=question_set, counted_grade__isnull=False)
        .with_grading_state()
        .filter(grading=False)  # type: ignore[misc]  # annotated by with_grading_state
        .exclude(question__kind=Question.Kind.CODING, question_version__isnull=False)
    )


def outdated_answer_ids(question_set: QuestionSet) -> list[int]:
    """Answers in the set's attempts whose counted grade used a rubric the question no
    longer has, with no regrade in flight. Plain rows, not model objects: a set may hold
    thousands of answers."""
    rows = _graded_now(question_set).values_list("pk", "question_id", "counted_grade__rubric_version")
    graded = {answer_id: (question_id, rubric) for answer_id, question_id, rubric in rows}
    current = rubric_versions({q for q, _ in graded.values()})
    return [answer_id for answer_id, (question_id, rubric) in graded.items() if rubric != current[question_id]]


def count_outdated(question_set: QuestionSet) -> int:
    """len(outdated_answer_ids(question_set)), from how many answers to each question were
    graded against each rubric version (a few rows, counted by the database) rather than a
    row per answer: the results page asks on every load, and a set may hold thousands."""
    versions = (
        _graded_now(question_set)
        .order_by()  # grouped by these two columns alone
        .values_list("question_id", "counted_grade__rubric_version")
        .annotate(n=Count("pk"))
    )
    counted = [(question_id, rubric, n) for question_id, rubric, n in versions]
    current = rubric_versions({question_id for question_id, _, _ in counted})
    return sum(n for question_id, rubric, n in counted if rubric != current[question_id])


def regrade_outdated(question_set: QuestionSet, user: User) -> int:
    """Queue a fresh grade, against the current rubric, for every outdated answer."""
    answers = list(Answer.objects.filter(pk__in=outdated_answer_ids(question_set)))
    with transaction.atomic():
        regrade(answers, "auto", user)
        if answers:  # one line for the click, however many answers it queued
            assert question_set.organization is not None
            audit.record(
                question_set.organization,
                user,
                audit.Action.GRADE_REGRADED,
                question_set,
                after={"answers": len(answers)},
            )
    return len(answers)


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def results_csv(question_set: QuestionSet) -> str:
    rows = attempts(question_set)
    skills = sorted({name for row in rows for name in row.by_skill})
    questions: list[str] = []
    for row in rows:
        for result in row.answers:
            if result.question.slug not in questions:
                questions.append(result.question.slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "candidate", "status", "started_at", "finished_at", "minutes", "answered", "questions", "total_percent",
            *[f"skill: {s}" for s in skills], *[f"question: {q}" for q in questions],
            "reviewed", "needs_review", "outdated", "pastes", "focus_losses",
        ]
    )  # fmt: skip
    for row in rows:
        scores = {r.question.slug: r.score for r in row.answers}
        by_skill = row.by_skill
        session = row.session
        total = row.total_percent
        writer.writerow(
            _cell(v)
            for v in [
                row.invite.email, row.status,
                session.started_at.isoformat() if session else "",
                session.finished_at.isoformat() if session and session.finished_at else "",
                row.minutes if row.minutes is not None else "", len(row.answers), row.questions,
                f"{total:.1f}" if total is not None else "",
                *[f"{by_skill[s]:.2f}" if s in by_skill else "" for s in skills],
                *[f"{scores[q]:.2f}" if scores.get(q) is not None else "" for q in questions],
                row.reviewed, row.needs_review, row.outdated, row.pastes, row.focus_losses,
            ]
        )  # fmt: skip
    return out.getvalue()
