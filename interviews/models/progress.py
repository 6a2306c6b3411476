from django.conf import settings
from django.db import models
from django.utils import timezone


class RevisitQuerySet(models.QuerySet["RevisitSchedule"]):
    def due(self) -> "RevisitQuerySet":
        return self.filter(due__lte=timezone.now())


class RevisitSchedule(models.Model):
    """When a candidate should see a question again: an FSRS card per user and question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="revisits")
    question = models.ForeignKey("interviews.Question", on_delete=models.CASCADE, related_name="+")
    card = models.JSONField(default=dict, help_text="fsrs.Card.to_dict()")
    due = models.DateTimeField(db_index=True)
    last_rating = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = RevisitQuerySet.as_manager()

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_schedule_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id} for {self.user_id} due {self.due:%Y-%m-%d}"
