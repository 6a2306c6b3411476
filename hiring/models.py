"""Hiring-team records around the shared interview models: candidate invitations to an
assessment, what the browser reported during it, and reviewers' overrides."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from accounts.models import BaseInvitation


class AssessmentInvite(BaseInvitation):
    """One candidate's link to one attempt at a team's question set. Accepting it starts the
    attempt; from then on the link only ever reopens that attempt, whatever its expiry."""

    REOPENS = True
    NOUN = "assessment"
    ACTION = "start"
    LINK_URL_NAME = "assessment_invite"

    question_set = models.ForeignKey("interviews.QuestionSet", on_delete=models.CASCADE, related_name="invites")
    session = models.OneToOneField(
        "interviews.InterviewSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="invite"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # A candidate's open invitations, asked by email without case (held_back_from) on
            # every plan and practice page: 5.8 ms filtering 3,700 unused invitations at 1M
            # answers, 0.1 ms through this index.
            models.Index(Upper("email"), name="invite_email_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.question_set}"

    def email_message(self, link: str) -> tuple[str, str]:
        question_set = self.question_set
        limit = (
            f"It has a time limit of {question_set.time_limit_minutes} minutes, "
            if question_set.time_limit_minutes
            else ""
        )
        return (
            f"Your assessment from {question_set.organization}: {question_set.title}",
            f"{question_set.organization} invited you to an assessment on Backprop: {question_set.title}.\n"
            f"It has {question_set.items.count()} questions. {limit}and you get one attempt.\n\n"
            f"Open it before {self.expires_at:%Y-%m-%d %H:%M} UTC: {link}\n"
            "The link is for you only and works once.\n",
        )

    @property
    def status(self) -> str:
        if self.session_id is None:
            return "expired" if self.is_expired else "invited"
        assert self.session is not None
        if self.session.finished_at is None and self.session.time_is_up():
            return "time up"  # closed by the clock; the candidate never came back to see it
        return "finished" if self.session.finished_at else "in progress"


class AssessmentEvent(models.Model):
    """Something the browser reported during an assessment: a paste, or the page losing
    focus. Shown to reviewers as context, never used to grade."""

    class Kind(models.TextChoices):
        PASTE = "paste", "Paste"
        FOCUS_LOST = "blur", "Left the page"
        FOCUS_BACK = "focus", "Came back"

    MAX_PER_SESSION = 2000  # a runaway script cannot fill the table

    session = models.ForeignKey("interviews.InterviewSession", on_delete=models.CASCADE, related_name="events")
    question = models.ForeignKey(
        "interviews.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Pastes: how many characters (never the pasted text itself).
    chars = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.kind} in session {self.session_id}"


class ScoreOverride(models.Model):
    """A reviewer's score for an answer, kept beside the automatic grade it overrides.
    Saving one makes it the answer's override (Answer.override), the score that counts;
    earlier reviews stay as history."""

    answer = models.ForeignKey("interviews.Answer", on_delete=models.CASCADE, related_name="overrides")
    # The automatic grade the reviewer saw; agreement is measured against it.
    grade = models.ForeignKey("interviews.Grade", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(help_text="0-5")
    # [{"criterion", "points", "max_points"}] in rubric order.
    criteria = models.JSONField(default=list)
    comment = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=5), name="override_score_0_to_5"),
        ]
        # As Grade's: the score that counts reads an override's score through Answer.override,
        # for thousands of answers at a time, without visiting the row (criteria, comment).
        indexes = [models.Index(fields=["id"], include=["score"], name="override_score_by_id")]

    def __str__(self) -> str:
        return f"Override of answer {self.answer_id} by {self.reviewer}"


class ReviewQueueEntry(models.Model):
    """Where an assessment answer stands with its team's reviewers: waiting in the review
    queue (`priority`), or reviewed with a grade to compare (`gap`, for the largest
    disagreements). A summary row kept by the writes that change either (a grade counting
    or failing, a regrade queued, an override saved: hiring/services/review_entries.py), so
    the review page reads the top of an index instead of ranking every answer the team has
    ever received."""

    answer = models.OneToOneField(
        "interviews.Answer", on_delete=models.CASCADE, primary_key=True, related_name="review_entry"
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    priority = models.FloatField(null=True, help_text="In the queue: AnswerResult.priority (overrides ranks it)")
    gap = models.FloatField(null=True, help_text="Reviewed: |override - the automatic grade its reviewer saw|")
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                "organization",
                models.F("priority").desc(),
                "submitted_at",
                "answer",
                name="review_queue_order",
                condition=models.Q(priority__isnull=False),
            ),
            models.Index(
                "organization",
                models.F("gap").desc(),
                "answer",
                name="review_disagreement_order",
                condition=models.Q(gap__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.answer_id} (priority {self.priority}, gap {self.gap})"
