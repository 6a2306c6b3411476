import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def rubric_hash(rubric: list[tuple[str, int]]) -> str:
    """A short hash of a rubric, so a grade says exactly what it was graded against and a
    later rubric edit can be detected (the grade is then outdated)."""
    return hashlib.sha256(repr(rubric).encode()).hexdigest()[:16]


def rubric_versions(question_ids: "Iterable[int]") -> dict[int, str]:
    """Question.rubric_version() of each of these questions, from their criteria rows
    alone (one query): a results page compares thousands of grades with a few questions'
    rubrics, and loading the questions themselves (prompts, reference answers, code) to
    hash their criteria cost it more than the comparison."""
    rubrics: dict[int, list[tuple[str, int]]] = {pk: [] for pk in question_ids}
    # In Question.rubric()'s order: RubricCriterion's own (question, order).
    for question_id, text, points in RubricCriterion.objects.filter(question_id__in=rubrics).values_list(
        "question_id", "text", "points"
    ):
        rubrics[question_id].append((text, points))
    return {pk: rubric_hash(rubric) for pk, rubric in rubrics.items()}


class QuestionQuerySet(models.QuerySet["Question"]):
    def usable(self) -> "QuestionQuerySet":
        """Approved public questions: what the planner and practice draw on. A hiring team's
        own questions (organization set) stay inside that team's sets."""
        return self.filter(status=Question.Status.APPROVED, organization=None).exclude_unrunnable()

    def exclude_unrunnable(self) -> "QuestionQuerySet":
        """Without a registered GPU worker, no question that `requires: gpu` (its grade
        would wait on a queue nobody consumes)."""
        from interviews.execution.gpu import gpu_worker_registered, requires_gpu

        if gpu_worker_registered():
            return self
        coding = Question.objects.filter(kind=Question.Kind.CODING).values_list("pk", "coding_files")
        return self.exclude(pk__in=[pk for pk, files in coding if requires_gpu(files or {})])

    def held_back_from(self, user: Any) -> "QuestionQuerySet":
        """Questions of an assessment the user is taking or has been invited to, until it
        ends. Practice must not hand them out, grade them or show their reference answers
        meanwhile: that would leak the answer key into a live assessment."""
        from interviews.models.sessions import InterviewSession

        now = timezone.now()
        live = InterviewSession.objects.filter(
            candidate=user, mode=InterviewSession.Mode.ASSESSMENT, finished_at=None
        ).exclude(deadline__lt=now - InterviewSession.DEADLINE_GRACE)
        in_live = QuestionSetItem.objects.filter(question_set__sessions__in=live).values("question_id")
        # An invitation not yet used: the team's current set is what the candidate will get.
        in_upcoming = QuestionSetItem.objects.filter(
            question_set__invites__email__iexact=user.email,
            question_set__invites__session=None,
            question_set__invites__expires_at__gt=now,
        ).values("question_id")
        return self.filter(Q(pk__in=in_live) | Q(pk__in=in_upcoming))

    def practisable_by(self, user: Any) -> "QuestionQuerySet":
        """What practice and mock interviews may give this user: the usable bank, less
        anything held back by an assessment they are taking or invited to."""
        usable = self.usable()
        if user is None or not user.is_authenticated:
            return usable
        return usable.exclude(pk__in=Question.objects.held_back_from(user).values("pk"))


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
        PROPOSED = "proposed", "Proposed"  # generated, waiting for a manager to approve it
        APPROVED = "approved", "Approved"
        RETIRED = "retired", "Retired"  # removed from the content files; kept for its answers

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
    # Executable (coding) questions: their content files by name (question.yaml, starter.py,
    # reference.py, inputs.py, checker.py), from which interviews.execution rebuilds the spec.
    coding_files = models.JSONField(default=dict, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.AUTHORED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # For generated questions: the posting requirement they were written for.
    source_requirement = models.ForeignKey(
        "interviews.Requirement", null=True, blank=True, on_delete=models.SET_NULL, related_name="generated_questions"
    )
    # A hiring team's own question (edited from a bank question, or an approved proposal).
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    forked_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks")
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

    def rubric(self) -> list[tuple[str, int]]:
        return [(c.text, c.points) for c in self.criteria.all()]

    def rubric_version(self) -> str:
        return rubric_hash(self.rubric())


class QuestionVersion(models.Model):
    """A frozen copy of what a question said at some point: its prompt, reference answer
    and rubric. An answer points at the version the candidate saw, so editing a question
    (or reloading the bank) never rewrites a transcript. Versions are content-addressed:
    the same content is stored once."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    prompt = models.TextField()
    reference_answer = models.TextField()
    # [{"text", "points"}]
    criteria = models.JSONField(default=list)
    numeric_answer = models.FloatField(null=True, blank=True)
    numeric_tolerance = models.FloatField(null=True, blank=True)
    numeric_unit = models.CharField(max_length=40, blank=True)
    coding_files = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="version_number_once_per_question"),
            models.UniqueConstraint(fields=["question", "content_hash"], name="version_content_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    @property
    def max_points(self) -> int:
        return sum(int(c["points"]) for c in self.criteria)

    def rubric(self) -> list[tuple[str, int]]:
        return [(str(c["text"]), int(c["points"])) for c in self.criteria]

    @staticmethod
    def content_of(question: Question) -> dict[str, object]:
        content: dict[str, object] = {
            "prompt": question.prompt,
            "reference_answer": question.reference_answer,
            "criteria": [{"text": text, "points": points} for text, points in question.rubric()],
            "numeric_answer": question.numeric_answer,
            "numeric_tolerance": question.numeric_tolerance,
            "numeric_unit": question.numeric_unit,
        }
        # Only when present, so the content hashes of existing text-question versions stay put.
        if question.coding_files:
            content["coding_files"] = question.coding_files
        return content

    @classmethod
    def snapshot(cls, question: Question, user: object = None) -> "QuestionVersion":
        """The version matching the question's current content, created if it is new."""
        content = cls.content_of(question)
        digest = hashlib.sha256(repr(sorted(content.items())).encode()).hexdigest()
        existing = cls.objects.filter(question=question, content_hash=digest).first()
        if existing is not None:
            return existing
        last = cls.objects.filter(question=question).order_by("-number").values_list("number", flat=True).first()
        return cls.objects.create(
            question=question, number=(last or 0) + 1, content_hash=digest, created_by=user, **content
        )


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
    # An assessment's frozen copy of a hiring team's set, made when a candidate starts, so
    # later edits to the team's set never change an attempt in progress or its transcript.
    template = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
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
