from django.conf import settings
from django.db import models


class QuestionQuerySet(models.QuerySet["Question"]):
    def usable(self) -> "QuestionQuerySet":
        return self.filter(status=Question.Status.APPROVED)


class Question(models.Model):
    class Kind(models.TextChoices):
        CONCEPT = "concept", "Concept"
        DESIGN = "design", "Design"
        BEHAVIOURAL = "behavioural", "Behavioural"
        CODING = "coding", "Coding"
        NUMERIC = "numeric", "Numeric"

    class Origin(models.TextChoices):
        BANK = "bank", "Bank"
        GENERATED = "generated", "Generated"
        AUTHORED = "authored", "Authored"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    slug = models.SlugField(max_length=100, unique=True)
    prompt = models.TextField(help_text="Markdown.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONCEPT)
    skills = models.ManyToManyField("interviews.Skill", related_name="questions")
    # The skill the question mainly tests (first in its content file); the planner fills
    # a skill's slots with these first.
    primary_skill = models.ForeignKey(
        "interviews.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="primary_questions"
    )
    difficulty = models.PositiveSmallIntegerField(default=2)
    reference_answer = models.TextField()
    # Numeric questions: the exact answer and the absolute tolerance accepted.
    numeric_answer = models.FloatField(null=True, blank=True)
    numeric_tolerance = models.FloatField(null=True, blank=True)
    numeric_unit = models.CharField(max_length=40, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.AUTHORED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # For generated questions: the posting requirement they were written for.
    source_requirement = models.ForeignKey(
        "interviews.Requirement", null=True, blank=True, on_delete=models.SET_NULL, related_name="generated_questions"
    )
    # Hash of the content file entry, so reloading the bank only touches changed questions.
    content_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.criteria.all())


class RubricCriterion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["question", "order"]

    def __str__(self) -> str:
        return f"{self.text[:60]} ({self.points})"


class QuestionSet(models.Model):
    """An ordered list of questions: a candidate's mock interview plan or a hiring team's set."""

    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="question_sets"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="question_sets"
    )
    posting = models.ForeignKey(
        "interviews.Posting", null=True, blank=True, on_delete=models.SET_NULL, related_name="question_sets"
    )
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    questions = models.ManyToManyField(Question, through="QuestionSetItem", related_name="question_sets")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class QuestionSetItem(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["question_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "question"], name="question_once_per_set"),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.question_id}"
