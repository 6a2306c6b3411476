"""The review page's summary rows (ReviewQueueEntry): which answers wait for a reviewer
and in what order, and how far each reviewed answer's override is from the grade its
reviewer saw; recomputed for an answer whenever what decides them changes. The queue's
order itself is defined once, in SQL, by overrides.ranked_for_review."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Abs

from hiring.models import ReviewQueueEntry, ScoreOverride
from interviews.models import InterviewSession


def _reviewed() -> "QuerySet[ScoreOverride]":
    """Each reviewed assessment answer's override (the one that counts), where its reviewer
    saw a score, annotated with `gap`."""
    return ScoreOverride.objects.filter(
        answer__session__mode=InterviewSession.Mode.ASSESSMENT,
        answer__session__question_set__organization__isnull=False,
        grade__score__isnull=False,
        pk=F("answer__override"),
    ).annotate(gap=Abs(F("score") - F("grade__score")))


def refresh(answer_ids: Iterable[int]) -> None:
    """Put these answers where they now stand: in the queue at their priority, among the
    reviewed with their gap, or nowhere (not graded yet, not an assessment answer)."""
    from hiring.services.overrides import ranked_for_review

    ids = list(answer_ids)
    if not ids:
        return
    queued = ranked_for_review().filter(pk__in=ids)
    entries = [
        ReviewQueueEntry(answer_id=pk, organization_id=org, priority=priority, gap=None, submitted_at=at)
        for pk, org, priority, at in queued.values_list(
            "pk",
            "session__question_set__organization_id",
            "priority",
            "submitted_at",  # type: ignore[misc]
        )
    ]
    entries += [
        ReviewQueueEntry(answer_id=pk, organization_id=org, priority=None, gap=gap, submitted_at=at)
        for pk, org, gap, at in _reviewed()
        .filter(answer_id__in=ids)
        .values_list(
            "answer_id",
            "answer__session__question_set__organization_id",
            "gap",
            "answer__submitted_at",  # type: ignore[misc]
        )
    ]
    ReviewQueueEntry.objects.filter(answer_id__in=ids).exclude(answer_id__in=[e.answer_id for e in entries]).delete()
    ReviewQueueEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["answer"],
        update_fields=["organization", "priority", "gap", "submitted_at"],
    )


def rebuild() -> None:
    """Every team's rows from scratch, in two INSERT ... SELECT (the migration that added
    the table, seed_scale)."""
    from hiring.services.overrides import ranked_for_review

    ReviewQueueEntry.objects.all().delete()
    table = ReviewQueueEntry._meta.db_table
    # Django selects the model's columns first, then the annotation: the INSERT's order.
    queued = ranked_for_review().values(
        "pk",
        "session__question_set__organization_id",
        "submitted_at",
        "priority",  # type: ignore[misc]
    )
    reviewed = _reviewed().values(  # type: ignore[misc]
        "answer_id", "answer__session__question_set__organization_id", "answer__submitted_at", "gap"
    )
    with connection.cursor() as cursor:
        for select, column in ((queued, "priority"), (reviewed, "gap")):
            sql, params = select.query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} (answer_id, organization_id, submitted_at, {column}) {sql}", params)
