from datetime import timedelta

from django.db import models
from django.utils import timezone


class GradeQuerySet(models.QuerySet["Grade"]):
    def stuck(self, older_than: timedelta) -> "GradeQuerySet":
        """Grades whose worker message was probably lost: queued or running too long."""
        cutoff = timezone.now() - older_than
        return self.filter(
            models.Q(status=Grade.Status.QUEUED, queued_at__lt=cutoff)
            | models.Q(status=Grade.Status.RUNNING, started_at__lt=cutoff)
        )


class Grade(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Grading"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    answer = models.ForeignKey("interviews.Answer", on_delete=models.CASCADE, related_name="grades")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    grader = models.CharField(max_length=40, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="0-5")
    # [{"criterion", "points", "max_points", "evidence", "feedback"}], criterion text copied
    # in so a later rubric edit never rewrites a graded transcript.
    criteria = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GradeQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=5),
                name="grade_score_0_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Grade {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
