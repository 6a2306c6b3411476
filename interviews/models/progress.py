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


class SkillScore(models.Model):
    """A candidate's practice evidence on one skill, summed over the answers whose score
    counts (the Beta evidence of interviews/progress/mastery.py): kept up to date by the
    writes that change what counts (interviews/progress/summary.py), so the progress pages
    read a row per skill instead of aggregating the whole history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey("interviews.Skill", on_delete=models.CASCADE, related_name="+")
    successes = models.FloatField(default=0)
    failures = models.FloatField(default=0)
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "skill"], name="one_skill_score_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.skill_id}: {self.answers} answers"


class DailyScore(models.Model):
    """A candidate's practice answers graded on one day (by when they were answered): the
    sum of their counted scores and how many, for the score history and its chart."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    total = models.FloatField(default=0)
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_daily_score_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.day}: {self.answers} answers"


class QuestionHistory(models.Model):
    """A candidate's answers to one question, summed: how many, when last, the best score
    that counts (any mode) and the latest practice score that counts. The posting page's
    plan (familiarity, its seed) and readiness read one row per question answered instead
    of aggregating the whole history; interviews/progress/history.py recomputes the row
    whenever an answer to the question is submitted or its score changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("interviews.Question", on_delete=models.CASCADE, related_name="+")
    answers = models.PositiveIntegerField()
    last_answered = models.DateTimeField()
    best_score = models.FloatField(null=True)
    latest_practice_score = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_history_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id} for {self.user_id}: {self.answers} answers"
