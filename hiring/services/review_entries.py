"""The review queue's summary rows (ReviewQueueEntry): which answers wait for a reviewer,
and in what order, recomputed for an answer whenever what decides it changes. The order
itself is defined once, in SQL, by overrides.ranked_for_review."""

from collections.abc import Iterable

from hiring.models import ReviewQueueEntry


def refresh(answer_ids: Iterable[int]) -> None:
    """Put these answers in their team's queue at their current priority, or take them out
    (reviewed, not graded yet, or not an assessment answer)."""
    from hiring.services.overrides import ranked_for_review

    ids = list(answer_ids)
    if not ids:
        return
    rows = (
        ranked_for_review()
        .filter(pk__in=ids)
        .values_list("pk", "session__question_set__organization_id", "priority", "submitted_at")  # type: ignore[misc]
    )
    entries = [
        ReviewQueueEntry(answer_id=pk, organization_id=org, priority=priority, submitted_at=submitted_at)
        for pk, org, priority, submitted_at in rows
    ]
    ReviewQueueEntry.objects.filter(answer_id__in=ids).exclude(answer_id__in=[e.answer_id for e in entries]).delete()
    ReviewQueueEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["answer"],
        update_fields=["organization", "priority", "submitted_at"],
    )


def rebuild() -> int:
    """Every team's queue from scratch, in one INSERT ... SELECT (the migration that added
    the table, seed_scale)."""
    from django.db import connection

    from hiring.services.overrides import ranked_for_review

    ReviewQueueEntry.objects.all().delete()
    # Django selects the model's columns first, then the annotation: the INSERT's order.
    select = ranked_for_review().values(
        "pk",
        "session__question_set__organization_id",
        "submitted_at",
        "priority",  # type: ignore[misc]
    )
    sql, params = select.query.sql_with_params()
    table = ReviewQueueEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (answer_id, organization_id, submitted_at, priority) {sql}", params)
        return cursor.rowcount
