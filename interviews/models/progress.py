from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewQuerySet(models.QuerySet["ReviewSchedule"]):
    def due(self) -> "ReviewQuerySet":
        return self.filter(due__lte=timezone.now())


class ReviewSchedule(models.Model):
    """When a candidate should see a question again: an FSRS card per user and question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    question = models.ForeignKey("interviews.Question", on_delete=models.CASCADE, related_name="+")
    card = models.JSONField(default=dict, help_text="fsrs.Card.to_dict()")
    due = models.DateTimeField(db_index=True)
    last_rating = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_schedule_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id} for {self.user_id} due {self.due:%Y-%m-%d}"
