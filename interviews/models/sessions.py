from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

if TYPE_CHECKING:
    from interviews.models.grading import Grade
    from interviews.models.questions import Question, QuestionVersion


class InterviewSessionQuerySet(models.QuerySet["InterviewSession"]):
    def recent_with_answer_counts(self, candidate: object, limit: int) -> list["InterviewSession"]:
        """The candidate's newest sessions, each with `answered`: counted for those sessions
        only (an annotation over all of them would count a long history's every answer)."""
        sessions: list[InterviewSession] = list(
            self.filter(candidate=candidate).select_related("question_set").order_by("-started_at")[:limit]
        )
        counts = dict(
            Answer.objects.filter(session__in=sessions)
            .values("session_id")
            .annotate(n=models.Count("id"))
            .values_list("session_id", "n")
        )
        for session in sessions:
            session.answered = counts.get(session.pk, 0)  # type: ignore[attr-defined]
        return sessions


class InterviewSession(models.Model):
    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice"
        ASSESSMENT = "assessment", "Assessment"

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews")
    question_set = models.ForeignKey("interviews.QuestionSet", on_delete=models.PROTECT, related_name="sessions")
    posting = models.ForeignKey(
        "interviews.Posting", null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.PRACTICE)
    started_at = models.DateTimeField(default=timezone.now)
    # Assessments: the server refuses answers after this moment (plus a small grace for
    # the request in flight); what was typed stays as a draft for the reviewers.
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = InterviewSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        # A candidate's sessions, newest first: the dashboard, and every per-candidate join
        # (progress, plans) starts here rather than scanning all sessions.
        indexes = [models.Index(fields=["candidate", "-started_at"], name="session_newest_per_candidate")]

    def __str__(self) -> str:
        return f"{self.question_set} for {self.candidate}"

    DEADLINE_GRACE = timedelta(seconds=30)

    @property
    def is_assessment(self) -> bool:
        return self.mode == self.Mode.ASSESSMENT

    def time_is_up(self, now: datetime | None = None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline + self.DEADLINE_GRACE

    def seconds_left(self) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - timezone.now()).total_seconds()))

    @property
    def ran_out_of_time(self) -> bool:
        """Ended by the clock rather than by answering every question (closed or not yet)."""
        if self.deadline is None:
            return False
        return self.finished_at == self.deadline or (self.finished_at is None and self.time_is_up())

    def is_over(self) -> bool:
        """Finished, or out of time though nothing has closed it yet. Pure: pages read this;
        the next write (an answer, a draft, a browser event) closes the session for good."""
        return self.finished_at is not None or self.time_is_up()

    def close_if_time_is_up(self) -> bool:
        """Finish an assessment whose time ran out; drafts are kept for the reviewers.
        Writes: call it on POST paths only, never while rendering a GET."""
        if self.finished_at is None and self.time_is_up():
            self.finished_at = self.deadline
            InterviewSession.objects.filter(pk=self.pk, finished_at=None).update(finished_at=self.deadline)
        return self.finished_at is not None

    def ordered_questions(self) -> list["Question"]:
        items = self.question_set.items.select_related("question").order_by("order")
        return [item.question for item in items]

    DRAFT_MAX_CHARS = 200_000  # far above the answer limit: a draft is never refused for length

    def draft_for(self, question: "Question") -> "Draft | None":
        return self.drafts.filter(question=question).first()

    def save_draft(self, question: "Question", text: str) -> "Draft":
        draft, _ = Draft.objects.update_or_create(
            # A stray NUL (binary paste) cannot be stored in PostgreSQL text: drop it, keep the rest.
            session=self,
            question=question,
            defaults={"text": text.replace("\x00", "")[: self.DRAFT_MAX_CHARS]},
        )
        return draft

    def skip(self, question: "Question") -> None:
        Draft.objects.update_or_create(session=self, question=question, defaults={"skipped": True})

    def toggle_flag(self, question: "Question") -> bool:
        draft, _ = Draft.objects.get_or_create(session=self, question=question)
        draft.flagged = not draft.flagged
        draft.save(update_fields=["flagged", "updated_at"])
        return draft.flagged

    def seconds_since_last_answer(self) -> int:
        """Time spent on the current question: since the previous answer, or the start."""
        last = self.answers.order_by("-submitted_at").values_list("submitted_at", flat=True).first()
        return int((timezone.now() - (last or self.started_at)).total_seconds())

    def held_back_ids(self) -> set[int]:
        """In practice: this session's questions that an assessment the candidate is taking
        or invited to holds back until it ends (see QuestionQuerySet.held_back_from)."""
        from interviews.models.questions import Question

        if self.is_assessment:
            return set()
        in_session = self.question_set.items.values("question_id")
        return set(
            Question.objects.held_back_from(self.candidate).filter(pk__in=in_session).values_list("pk", flat=True)
        )

    def next_question(self, held_back: set[int] | frozenset[int] = frozenset()) -> "Question | None":
        """The first unanswered question; skipped ones come back once the rest are done."""
        answered = set(self.answers.values_list("question_id", flat=True))
        skipped = set(self.drafts.filter(skipped=True).values_list("question_id", flat=True))
        open_questions = [q for q in self.ordered_questions() if q.pk not in answered and q.pk not in held_back]
        return next((q for q in open_questions if q.pk not in skipped), open_questions[0] if open_questions else None)


class AnswerQuerySet(models.QuerySet["Answer"]):
    """The score that counts for an answer, read one way everywhere: the reviewer's
    override if there is one, else the counted grade (see Answer.counted_grade)."""

    def with_counted_score(self) -> "AnswerQuerySet":
        """Annotate `counted_score` (0-5), None while no grade has finished."""
        from hiring.models import ScoreOverride

        # The override's score through a subquery evaluated only for the few overridden
        # answers: joining the override table made PostgreSQL hash all of its rows (21,625 at
        # 1M answers, ~5 ms) for every history or results query, whose answers rarely have one.
        override = ScoreOverride.objects.filter(pk=OuterRef("override_id")).values("score")[:1]
        return self.annotate(
            counted_score=models.Case(
                models.When(override__isnull=True, then=F("counted_grade__score")),
                default=models.Subquery(override),
                output_field=models.FloatField(),
            )
        )

    def counted(self) -> "AnswerQuerySet":
        """Answers that have a score that counts, annotated with it."""
        # The stubs cannot see annotations made in a queryset method: hence the ignores.
        return self.with_counted_score().filter(counted_score__isnull=False)  # type: ignore[misc]

    def with_grading_state(self) -> "AnswerQuerySet":
        """Annotate `grading` (a grade is queued or running: a first grade or a regrade in
        flight) and `grading_failed` (no grade counts, none is in flight, one failed)."""
        from interviews.models.grading import Grade

        attempts = Grade.objects.filter(answer=OuterRef("pk"))
        in_flight = Exists(attempts.filter(status__in=[Grade.Status.QUEUED, Grade.Status.RUNNING]))
        failed = Exists(attempts.filter(status=Grade.Status.FAILED))
        return self.annotate(
            grading=in_flight,
            grading_failed=models.ExpressionWrapper(
                Q(counted_grade__isnull=True) & ~in_flight & failed, output_field=models.BooleanField()
            ),
        )


class Answer(models.Model):
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("interviews.Question", on_delete=models.PROTECT, related_name="answers")
    # What the candidate saw: later edits to the question never change this.
    question_version = models.ForeignKey(
        "interviews.QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField()
    time_spent_seconds = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(default=timezone.now)
    # The grade that counts: the newest requested grade that has finished, set by the
    # grading attempt that finishes it (Grade.count). Earlier grades stay as history; a
    # regrade in flight or one that failed leaves the previous grade counting.
    counted_grade = models.ForeignKey(
        "interviews.Grade", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A reviewer's override on top of it: the newest ScoreOverride, set when it is saved.
    override = models.ForeignKey(
        "hiring.ScoreOverride", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            # A double-clicked submit cannot create a second answer.
            models.UniqueConstraint(fields=["session", "question"], name="one_answer_per_question_per_session"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question} by {self.session.candidate}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from interviews.progress import history

        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # the candidate has one more answer to the question (QuestionHistory)
            history.refresh_answer(self.pk)

    @property
    def asked(self) -> "QuestionVersion | Question":
        """The question as the candidate saw it (the version), for transcripts."""
        return self.question_version or self.question

    @property
    def graded_by_its_version(self) -> bool:
        """Code answers are graded against the version answered: its files run, and its rubric
        is their cases' points, so a later edit never makes their grade outdated. Text answers
        are graded against the question's current rubric: an edit outdates their grade until
        a regrade."""
        return self.question.kind == "coding" and self.question_version_id is not None

    def grading_rubric(self) -> list[tuple[str, int]]:
        """The rubric a grade of this answer is made (and checked) against."""
        if self.graded_by_its_version:
            assert self.question_version is not None
            return self.question_version.rubric()
        return self.question.rubric()

    @property
    def shown_grade(self) -> "Grade | None":
        """The grade an answer's page shows: the one that counts; before any has finished,
        the newest attempt (queued, running or failed), so its progress shows."""
        grades = list(self.grades.all())  # uses a prefetch when one was made
        counted = next((g for g in grades if g.pk == self.counted_grade_id), None)
        return counted or max(grades, key=lambda g: g.pk, default=None)


class Draft(models.Model):
    """What the candidate has typed for a question but not submitted, saved as they type,
    plus whether they skipped or flagged it. Nothing typed is lost to a reload or a closed tab."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="drafts")
    question = models.ForeignKey("interviews.Question", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    skipped = models.BooleanField(default=False)
    flagged = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="one_draft_per_question_per_session"),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.question_id} in session {self.session_id}"
