import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from accounts.models import User

# How much a requirement counts toward the skill profile, by the section it sits in.
SECTION_WEIGHTS = {"must": 1.0, "responsibility": 0.8, "nice": 0.5, "other": 0.4}


# Requirements about background rather than skills (years, degrees, languages, location,
# security clearance): real requirements, but no interview question tests them.
BACKGROUND = re.compile(
    r"\b(years?|yrs|degree|bsc|msc|ph\.?d|master'?s|bachelor'?s|diploma|graduat\w*|visa|relocat\w*|"
    r"location|on-?site|hybrid|remote|german|english|french|spanish|fluent|native speaker|driving licen[cs]e|"
    r"clearance|citizenship|citizens?|work permit|right to work)\b",
    re.IGNORECASE,
)


def is_background(text: str) -> bool:
    return bool(BACKGROUND.search(text))


def weighted_profile(links: Iterable[tuple[str, str, float]]) -> dict[str, float]:
    """(section, skill slug, weight) triples -> skill slug -> share, summing to 1, largest first."""
    totals: dict[str, float] = {}
    for section, slug, weight in links:
        totals[slug] = totals.get(slug, 0.0) + weight * SECTION_WEIGHTS.get(section, 0.4)
    total = sum(totals.values())
    if not total:
        return {}
    return {slug: w / total for slug, w in sorted(totals.items(), key=lambda item: (-item[1], item[0]))}


class PostingQuerySet(models.QuerySet["Posting"]):
    def for_practice(self, user: "User") -> "PostingQuerySet":
        """The user's own postings to practise for: not the ones a hiring team's set was
        built from (the set builder saves those under the manager who pasted them)."""
        from interviews.models.questions import QuestionSet

        team = QuestionSet.objects.filter(organization__isnull=False, posting__isnull=False).values("posting_id")
        return self.filter(owner=user).exclude(pk__in=team)


class Posting(models.Model):
    class Seniority(models.TextChoices):
        JUNIOR = "junior", "Junior"
        MID = "mid", "Mid-level"
        SENIOR = "senior", "Senior"
        STAFF = "staff", "Staff / principal"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="postings")
    title = models.CharField(max_length=300)
    company = models.CharField(max_length=200, blank=True)
    raw_text = models.TextField()
    seniority = models.CharField(max_length=10, choices=Seniority.choices, default=Seniority.MID)
    source = models.CharField(max_length=500, blank=True)
    analysis_method = models.CharField(max_length=200, blank=True, help_text="How requirements were extracted.")
    # True while the LLM analysis runs on the `llm` queue; the offline requirements show meanwhile.
    llm_analysis_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def analysis_label(self) -> str:
        """Who found the requirements, in words a reader knows ("offline" is jargon)."""
        method = self.analysis_method
        if method.startswith("llm") and "+ offline" in method:
            return "by the LLM, with lines it missed added by Backprop's built-in reader"
        if method.startswith("llm"):
            return "by the LLM"
        if "LLM failed" in method:
            return "by Backprop's built-in reader (the LLM was unavailable)"
        return "by Backprop's built-in reader" if method else ""

    def skill_profile(self) -> dict[str, float]:
        """Skill slug -> normalised weight (sums to 1) over all requirements."""
        links = RequirementSkill.objects.filter(requirement__posting=self).values_list(
            "requirement__section", "skill__slug", "weight"
        )
        return weighted_profile(links)


class Requirement(models.Model):
    class Section(models.TextChoices):
        MUST = "must", "Must-have"
        NICE = "nice", "Nice-to-have"
        RESPONSIBILITY = "responsibility", "Responsibility"
        OTHER = "other", "Other"

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveIntegerField()
    text = models.TextField()
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.OTHER)
    skills = models.ManyToManyField("interviews.Skill", through="RequirementSkill", related_name="requirements")

    class Meta:
        ordering = ["posting", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class RequirementSkill(models.Model):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey("interviews.Skill", on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(default=1.0)
    evidence = models.CharField(max_length=200, blank=True, help_text="The words of the line that matched.")
    method = models.CharField(max_length=20, blank=True, help_text="synonym, semantic or llm")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "skill"], name="one_link_per_requirement_skill"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} ({self.weight:.2f})"
