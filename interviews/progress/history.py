"""The posting page's summary rows (QuestionHistory): one per candidate and question they
answered, recomputed from that pair's answers (a handful) by every write that changes
what it holds: an answer submitted (Answer.save), a grade that starts to count
(Grade.count) and a reviewer's override (hiring/services/overrides.py). Recomputing
rather than adding keeps the best score right when a regrade or an override lowers it.
Answers are only deleted with their candidate (sessions are protected by their set), and
the rows go with the candidate too.

The score that counts is Answer.objects.with_counted_score()'s: the override's, else the
counted grade's. `rebuild` recomputes every row (the migration that added the table,
seed_scale)."""

from django.db import connection

TABLE = "interviews_questionhistory"

# Every answer of the pair (or of everyone, for a rebuild) with the score that counts, then
# the latest scored practice answer per pair (ROW_NUMBER: portable to SQLite, one pass).
_SELECT = """
    WITH counted AS (
        SELECT s.candidate_id AS user_id, a.question_id, a.id, a.submitted_at, s.mode,
            COALESCE(o.score, g.score) AS score
        FROM interviews_answer a
        JOIN interviews_interviewsession s ON s.id = a.session_id
        LEFT JOIN hiring_scoreoverride o ON o.id = a.override_id
        LEFT JOIN interviews_grade g ON g.id = a.counted_grade_id
        {where}
    ), latest AS (
        SELECT user_id, question_id, score, ROW_NUMBER() OVER (
            PARTITION BY user_id, question_id ORDER BY submitted_at DESC, id DESC
        ) AS n
        FROM counted WHERE mode = 'practice' AND score IS NOT NULL
    )
    SELECT c.user_id, c.question_id, COUNT(*), MAX(c.submitted_at), MAX(c.score), MAX(l.score)
    FROM counted c
    LEFT JOIN latest l ON l.user_id = c.user_id AND l.question_id = c.question_id AND l.n = 1
    GROUP BY c.user_id, c.question_id
"""
_COLUMNS = "(user_id, question_id, answers, last_answered, best_score, latest_practice_score)"


def refresh(user_id: int, question_id: int) -> None:
    """Recompute the candidate's row for this question from its answers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two grades landing together for different answers to the same question would
            # each recompute without the other's uncommitted score: the second waits for the
            # first's commit and then reads it (SQLite serialises writers anyway).
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [user_id % 2**31, question_id % 2**31])
        cursor.execute(
            f"INSERT INTO {TABLE} {_COLUMNS} "
            + _SELECT.format(where="WHERE s.candidate_id = %s AND a.question_id = %s")
            + " ON CONFLICT (user_id, question_id) DO UPDATE SET answers = excluded.answers, "
            "last_answered = excluded.last_answered, best_score = excluded.best_score, "
            "latest_practice_score = excluded.latest_practice_score",
            [user_id, question_id],
        )


def refresh_answer(answer_id: int) -> None:
    """refresh() for the candidate and question of this answer."""
    from interviews.models import Answer

    row = Answer.objects.filter(pk=answer_id).values_list("session__candidate_id", "question_id").first()
    if row is not None:
        refresh(*row)


def rebuild() -> None:
    """Every row from scratch, in one INSERT ... SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} {_COLUMNS} " + _SELECT.format(where=""))
