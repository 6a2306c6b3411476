"""The summary rows behind the progress pages (SkillScore, DailyScore), kept right by the
two writes that change the score that counts for an answer: a grade that starts to count
(Grade.count) and a reviewer's override (hiring/services/overrides.py). Each calls
`score_changed` (Grade.count: `record_change`) in its own transaction with the answer's row
locked, so two grades landing together add up instead of overwriting each other.

Only practice answers count (assessments belong to the hiring team). An answer adds to
every skill of its question, with the question's difficulty as it is when the score lands:
a later edit of the bank does not rewrite past evidence. `rebuild` recomputes everything
from the answers (the migration that added the tables, seed_scale)."""

from datetime import datetime

from django.db import connection
from django.utils import timezone

from interviews.models import Answer, InterviewSession, Question

SKILL_TABLE = "interviews_skillscore"
DAY_TABLE = "interviews_dailyscore"


def evidence(score: float, difficulty: int) -> tuple[float, float]:
    """(successes, failures) one answer adds to its skills' Beta posterior (see mastery.py)."""
    share = score / 5.0
    return share * difficulty / 3.0, (1.0 - share) * 3.0 / difficulty


def score_changed(answer_id: int, old: float | None, new: float | None) -> None:
    """The score that counts for the answer went from `old` to `new` (None: nothing counted)."""
    if old == new:
        return
    row = (
        Answer.objects.filter(pk=answer_id, session__mode=InterviewSession.Mode.PRACTICE)
        .values_list("session__candidate_id", "question_id", "question__difficulty", "submitted_at")
        .first()
    )
    if row is None:
        return
    record_change(*row, old, new)


def record_change(
    user: int, question: int, difficulty: int, submitted_at: datetime, old: float | None, new: float | None
) -> None:
    """score_changed for a practice answer the caller has read already (Grade.count reads
    it with the query that locks the answer): its candidate, question, the question's
    difficulty and when it was submitted."""
    if old == new:
        return
    added = evidence(new, difficulty) if new is not None else (0.0, 0.0)
    removed = evidence(old, difficulty) if old is not None else (0.0, 0.0)
    successes, failures = added[0] - removed[0], added[1] - removed[1]
    answers = (new is not None) - (old is not None)
    skills = Question.skills.through._meta.db_table
    with connection.cursor() as cursor:
        # One statement for all the question's skills. (SQLite needs the WHERE to tell the
        # SELECT's end from the ON CONFLICT clause.)
        cursor.execute(
            f"INSERT INTO {SKILL_TABLE} (user_id, skill_id, successes, failures, answers) "
            f"SELECT %s, skill_id, %s, %s, %s FROM {skills} WHERE question_id = %s "
            "ON CONFLICT (user_id, skill_id) DO UPDATE SET "
            f"successes = {SKILL_TABLE}.successes + excluded.successes, "
            f"failures = {SKILL_TABLE}.failures + excluded.failures, "
            f"answers = {SKILL_TABLE}.answers + excluded.answers",
            [user, successes, failures, answers, question],
        )
        cursor.execute(
            f"INSERT INTO {DAY_TABLE} (user_id, day, total, answers) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (user_id, day) DO UPDATE SET total = {DAY_TABLE}.total + excluded.total, "
            f"answers = {DAY_TABLE}.answers + excluded.answers",
            [user, timezone.localdate(submitted_at), (new or 0.0) - (old or 0.0), answers],
        )


# The score that counts, as Answer.objects.with_counted_score() reads it, in plain SQL.
_COUNTED_FROM = """
    FROM interviews_answer a
    JOIN interviews_interviewsession s ON s.id = a.session_id
    LEFT JOIN hiring_scoreoverride o ON o.id = a.override_id
    LEFT JOIN interviews_grade g ON g.id = a.counted_grade_id
"""
_COUNTED_WHERE = "s.mode = 'practice' AND COALESCE(o.score, g.score) IS NOT NULL"


def rebuild() -> None:
    """Recompute every summary row from the answers, in two statements."""
    day = "date(a.submitted_at)" if connection.vendor == "sqlite" else "(a.submitted_at AT TIME ZONE 'UTC')::date"
    if connection.vendor != "sqlite" and timezone.get_default_timezone_name() != "UTC":
        day = f"(a.submitted_at AT TIME ZONE '{timezone.get_default_timezone_name()}')::date"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SKILL_TABLE}")
        cursor.execute(f"DELETE FROM {DAY_TABLE}")
        cursor.execute(
            f"""INSERT INTO {SKILL_TABLE} (user_id, skill_id, successes, failures, answers)
            SELECT s.candidate_id, qs.skill_id,
                SUM(COALESCE(o.score, g.score) / 5.0 * q.difficulty / 3.0),
                SUM((1.0 - COALESCE(o.score, g.score) / 5.0) * 3.0 / q.difficulty),
                COUNT(*)
            {_COUNTED_FROM}
            JOIN interviews_question q ON q.id = a.question_id
            JOIN interviews_question_skills qs ON qs.question_id = a.question_id
            WHERE {_COUNTED_WHERE}
            GROUP BY s.candidate_id, qs.skill_id"""
        )
        cursor.execute(
            f"""INSERT INTO {DAY_TABLE} (user_id, day, total, answers)
            SELECT s.candidate_id, {day}, SUM(COALESCE(o.score, g.score)), COUNT(*)
            {_COUNTED_FROM}
            WHERE {_COUNTED_WHERE}
            GROUP BY s.candidate_id, {day}"""
        )
