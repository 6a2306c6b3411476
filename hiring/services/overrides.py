"""Reviewers' work: overriding an automatic grade, and the queue that says which answers
to look at first."""

from django.db import transaction
from django.db.models import Case, F, FloatField, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest

from accounts import audit
from accounts.models import Organization, User
from hiring.models import ReviewQueueEntry, ScoreOverride
from hiring.services import review_entries
from hiring.services.results import AnswerResult, results_for
from interviews.models import Answer, Grade, InterviewSession
from interviews.progress import history, summary


class OverrideError(ValueError):
    """The override cannot be saved; the message is shown to the reviewer."""


def criteria_for_override(result: AnswerResult) -> list[dict[str, object]]:
    """The rubric the reviewer scores against: the one the automatic grade used (its
    criterion text was copied into the grade), else the version the candidate saw."""
    grade = result.grade
    if grade is not None and grade.criteria:
        rows = [
            {"criterion": c["criterion"], "max_points": int(c["max_points"]), "auto": c["points"]}
            for c in grade.criteria
        ]
    else:
        rows = [
            {"criterion": text, "max_points": points, "auto": None} for text, points in _asked_rubric(result.answer)
        ]
    if result.override is not None:
        for row, reviewed in zip(rows, result.override.criteria, strict=False):
            row["human"] = reviewed["points"]
    return rows


def _asked_rubric(answer: Answer) -> list[tuple[str, int]]:
    if answer.question_version is not None:
        return answer.question_version.rubric()
    return answer.question.rubric()


@transaction.atomic
def save_override(result: AnswerResult, reviewer: User, points: list[float], comment: str) -> ScoreOverride:
    """A reviewer's per-criterion points and comment; the score is their share of 5."""
    comment = comment.strip()
    if not comment:
        raise OverrideError("Add a comment that explains the score: it is kept beside the automatic grade.")
    if "\x00" in comment or len(comment) > 5000:
        raise OverrideError("The comment must be plain text of at most 5,000 characters.")
    rows = criteria_for_override(result)
    if len(points) != len(rows) or not rows:
        raise OverrideError("Score every criterion of the rubric.")
    criteria = []
    for row, value in zip(rows, points, strict=True):
        maximum = int(row["max_points"])  # type: ignore[call-overload]
        if not 0 <= value <= maximum:
            raise OverrideError(f"Points for “{str(row['criterion'])[:60]}” must be between 0 and {maximum}.")
        criteria.append({"criterion": row["criterion"], "points": value, "max_points": maximum})
    total = sum(int(c["max_points"]) for c in criteria)  # type: ignore[call-overload]
    score = round(5.0 * sum(float(c["points"]) for c in criteria) / total, 2) if total else 0.0  # type: ignore[arg-type]
    # Locked so that of two reviewers saving at once, the one saved last is the override.
    Answer.objects.select_for_update().filter(pk=result.answer.pk).values_list("pk").get()
    counted = Answer.objects.filter(pk=result.answer.pk).values_list("override__score", "counted_grade__score").get()
    override = ScoreOverride.objects.create(
        answer=result.answer, grade=result.grade, reviewer=reviewer, score=score, criteria=criteria, comment=comment
    )
    Answer.objects.filter(pk=result.answer.pk).update(override=override)
    answer = result.answer
    organization = answer.session.question_set.organization
    assert organization is not None  # overrides are of assessment answers, always a team's
    audit.record(
        organization,
        reviewer,
        audit.Action.GRADE_OVERRIDDEN,
        answer,
        before={"score": result.score},  # what counted until now: an earlier override, else the grade
        after={"score": score, "comment": comment},
        label=f"{answer.session.candidate.email}: {answer.asked.prompt[:60]}",
    )
    old = counted[0] if counted[0] is not None else counted[1]
    summary.score_changed(result.answer.pk, old, score)  # practice progress, if ever overridden there
    history.refresh_answer(result.answer.pk)  # its best and latest score (QuestionHistory)
    review_entries.refresh([result.answer.pk])  # reviewed: out of the queue
    result.answer.override = override
    return override


# What the review page reads of an answer in its tables: who answered, in which set, what
# they were asked (the version's prompt), and what ranks and explains it (results_for). A
# queue shows what the candidate was asked, never the version's answer key or code; the
# other columns of the answer, candidate, set and version rows (the version's criteria as
# JSON, the user's password hash and dates) cost a page of 120 answers ~10 ms as objects.
# The candidate's email and the set's title come as annotations (`candidate_email`,
# `set_title`), not as 240 more objects.
SHOWN_IN_QUEUE = ["session", "question", "question_version__prompt", "submitted_at", "counted_grade", "override"]


def team_answers(organization: Organization) -> "QuerySet[Answer]":
    return (
        Answer.objects.filter(
            session__mode=InterviewSession.Mode.ASSESSMENT, session__question_set__organization=organization
        )
        .select_related("question_version")
        .only(*SHOWN_IN_QUEUE)
        .annotate(candidate_email=F("session__candidate__email"), set_title=F("session__question_set__title"))
    )


def review_queue(organization: Organization, limit: int = 100) -> list[AnswerResult]:
    """Unreviewed answers whose automatic grade is finished or failed, most in need first."""
    return review_page(organization, limit, 0)[0]


def review_page(
    organization: Organization, queued: int = 100, disagreements: int = 20
) -> tuple[list[AnswerResult], list[AnswerResult]]:
    """The review page's two tables: the top of the queue and the largest disagreements,
    each the top of the team's summary rows (ReviewQueueEntry: ranked when a grade lands,
    their gap when an override is saved), then the full rows of the answers shown, loaded
    together (one query each for the answers, grades, overrides and questions, not two)."""
    entries = ReviewQueueEntry.objects.filter(organization=organization)
    queue_ids = list(
        entries.filter(priority__isnull=False)
        .order_by("-priority", "submitted_at", "answer_id")
        .values_list("answer_id", flat=True)[:queued]
    )
    gap_ids = list(
        entries.filter(gap__isnull=False)
        .order_by("-gap", "answer_id")
        .values_list("answer_id", flat=True)[:disagreements]
    )
    loaded = team_answers(organization).in_bulk(queue_ids + gap_ids)
    shown = {r.answer.pk: r for r in results_for(list(loaded.values()), summary=True)}
    return [shown[pk] for pk in queue_ids if pk in shown], [shown[pk] for pk in gap_ids if pk in shown]


def in_review_order(organization: Organization) -> "QuerySet[Answer]":
    """The team's queue computed from the answers themselves (what its summary rows hold)."""
    return ranked_for_review().filter(session__question_set__organization=organization)


def ranked_for_review() -> "QuerySet[Answer]":
    """The order of `AnswerResult.priority`, computed by the database: assessment answers
    without an override whose grade counts or whose grading failed, annotated with
    `priority`. Evaluated for a few answers at a time (review_entries.refresh) or once for
    all (review_entries.rebuild)."""
    spread = (
        Grade.objects.filter(answer=OuterRef("pk"), status=Grade.Status.DONE, score__isnull=False)
        .values("answer")
        .annotate(spread=Max("score") - Min("score"))
        .values("spread")
    )
    return (
        Answer.objects.filter(
            session__mode=InterviewSession.Mode.ASSESSMENT,
            session__question_set__organization__isnull=False,
            override__isnull=True,
        )
        .with_grading_state()
        .filter(Q(counted_grade__isnull=False) | Q(grading_failed=True))
        .annotate(
            unsure=1.0 - Coalesce(F("counted_grade__confidence"), 0.0),
            spread=Coalesce(Subquery(spread), 0.0),
            priority=Case(
                When(counted_grade__isnull=True, then=Value(3.0)),  # grading failed
                default=Case(When(counted_grade__needs_review=True, then=Value(1.0)), default=Value(0.0))
                + Greatest(F("unsure"), F("spread") / 5.0),
                output_field=FloatField(),
            ),
        )
        .order_by("-priority", "submitted_at", "pk")
    )


def largest_disagreements(organization: Organization, limit: int = 20) -> list[AnswerResult]:
    """Reviewed answers where the reviewer and the automatic grade differ most: where the
    grader needs calibrating, or a second reviewer should look."""
    return review_page(organization, 0, limit)[1]
