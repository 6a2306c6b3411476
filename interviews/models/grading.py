from datetime import datetime
from typing import Literal

from django.db import models, transaction
from django.utils import timezone


class GradeQuerySet(models.QuerySet["Grade"]):
    def unclaimed_since(self, published_before: datetime) -> "GradeQuerySet":
        """Queued grades whose message went out before then and no worker has claimed:
        waiting behind a backlog, or lost (the sweep asks the broker which)."""
        return self.filter(status=Grade.Status.QUEUED, queued_at__lt=published_before)

    def dead_claims(self, silent_since: datetime) -> "GradeQuerySet":
        """Running grades whose worker has not beaten since then: it was killed (a running
        grade beats every GRADE_HEARTBEAT_SECONDS, and a hung one is killed by its time limit)."""
        return self.filter(status=Grade.Status.RUNNING).filter(
            models.Q(heartbeat_at__lt=silent_since) | models.Q(heartbeat_at=None, started_at__lt=silent_since)
        )


class Grade(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Grading"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    answer = models.ForeignKey("interviews.Answer", on_delete=models.CASCADE, related_name="grades")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # What was asked for (auto, llm, offline) and what actually produced the grade.
    requested_grader = models.CharField(max_length=20, default="auto")
    requested_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Staff member who asked for a regrade; empty for the automatic first grade.",
    )
    grader = models.CharField(max_length=40, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    rubric_version = models.CharField(max_length=64, blank=True, help_text="Hash of the rubric graded against.")
    fallback_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the requested grader was not the one that graded."
    )
    score = models.FloatField(null=True, blank=True, help_text="0-5")
    confidence = models.FloatField(null=True, blank=True, help_text="0-1; see README, 'Confidence'")
    needs_review = models.BooleanField(default=False, db_index=True)
    cost_usd = models.DecimalField(max_digits=10, decimal_places=6, default=0)
    # [{"criterion", "points", "max_points", "evidence", "feedback"}], criterion text copied
    # in so a later rubric edit never rewrites a graded transcript.
    criteria = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # When its current message was published (on the commit that queued it), and that
    # message's Celery task id: the sweep looks for the id in the broker's queue.
    queued_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)  # claimed by a worker
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the claiming worker.")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GradeQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at"]
        # An answer's grades in order: results, transcripts, a regrade's history.
        indexes = [
            models.Index(fields=["answer", "-id"], name="grade_newest_per_answer"),
            # The score that counts is read through Answer.counted_grade for thousands of
            # answers at a time (familiarity, readiness): with the score in the index,
            # PostgreSQL reads it without visiting the grade's wide row (criteria, feedback).
            models.Index(fields=["id"], include=["score"], name="grade_score_by_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=5),
                name="grade_score_0_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Grade {self.pk} ({self.status})"

    def count(self, score: float | None = None) -> Literal["first", "newer", "stale"]:
        """Make this finished grade the one that counts for its answer, unless a newer
        grade already does (a stale attempt finishing late never overwrites it).

        "first": the answer had no counted grade; "newer": this replaces an older one (a
        regrade); "stale": a newer grade counts and this one stays as history. The answer
        row is locked so two grades finishing together are ordered, not interleaved.
        `score`: the finished grade's score when the caller has it (one query fewer)."""
        from hiring.services import review_entries
        from interviews.models.sessions import Answer, InterviewSession
        from interviews.progress import history, summary

        # No savepoint: the caller's transaction (run_grade) rolls back whole on an error.
        with transaction.atomic(savepoint=False):
            # Lock the answer's row alone (PostgreSQL refuses FOR UPDATE on the nullable side
            # of the outer joins) and read what counts under the lock, in one query, with what
            # the summary rows need (two queries fewer than looking it up again).
            current, counted_score, override_score, mode, user, question, difficulty, submitted_at = (
                Answer.objects.select_for_update(of=("self",))
                .filter(pk=self.answer_id)
                .values_list(
                    "counted_grade_id",
                    "counted_grade__score",
                    "override__score",
                    "session__mode",
                    "session__candidate_id",
                    "question_id",
                    "question__difficulty",
                    "submitted_at",
                )
                .get()
            )
            # Only assessment answers have a place in a team's review queue; a practice
            # grade skips the four queries that would find it has none.
            in_queue = mode == InterviewSession.Mode.ASSESSMENT
            if current is not None and current >= self.pk:
                # Even a stale grade moves the answer in its team's review queue: graders
                # that disagree rank higher.
                if in_queue:
                    review_entries.refresh([self.answer_id])
                return "stale"
            Answer.objects.filter(pk=self.answer_id).update(counted_grade=self)
            if in_queue:
                review_entries.refresh([self.answer_id])
            if override_score is None:  # a reviewer's override keeps counting over any grade
                if score is None:  # the caller's object may predate the update that finished it
                    score = Grade.objects.filter(pk=self.pk).values_list("score", flat=True).get()
                if mode == InterviewSession.Mode.PRACTICE:  # assessments stay out of progress
                    summary.record_change(user, question, difficulty, submitted_at, counted_score, score)
                history.refresh(user, question)
        return "first" if current is None else "newer"

    @property
    def criteria_by_other_graders(self) -> list[dict[str, object]]:
        """Graders other than `grader` that scored some criteria, with how many (the LLM
        grader fills offline the criteria a model got wrong): the page must not credit
        the LLM for them."""
        counts: dict[str, int] = {}
        for c in self.criteria:
            other = c.get("graded_by") if isinstance(c, dict) else None
            if other and other != self.grader:
                counts[other] = counts.get(other, 0) + 1
        return [{"name": name, "count": count} for name, count in sorted(counts.items())]

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
