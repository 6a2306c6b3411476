from django.conf import settings
from django.db import models


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def skill_profile(self) -> dict[str, float]:
        """Skill slug -> normalised weight (sums to 1) over all requirements."""
        totals: dict[str, float] = {}
        links = RequirementSkill.objects.filter(requirement__posting=self).select_related("skill", "requirement")
        for link in links:
            factor = link.requirement.section_weight
            totals[link.skill.slug] = totals.get(link.skill.slug, 0.0) + link.weight * factor
        total = sum(totals.values())
        if not total:
            return {}
        ranked = sorted(totals.items(), key=lambda item: -item[1])
        return {slug: weight / total for slug, weight in ranked}


class Requirement(models.Model):
    class Section(models.TextChoices):
        MUST = "must", "Must-have"
        NICE = "nice", "Nice-to-have"
        RESPONSIBILITY = "responsibility", "Responsibility"
        OTHER = "other", "Other"

    SECTION_WEIGHTS = {"must": 1.0, "responsibility": 0.8, "nice": 0.5, "other": 0.4}

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveIntegerField()
    text = models.TextField()
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.OTHER)
    skills = models.ManyToManyField("interviews.Skill", through="RequirementSkill", related_name="requirements")

    class Meta:
        ordering = ["posting", "order"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def section_weight(self) -> float:
        return self.SECTION_WEIGHTS.get(self.section, 0.4)


class RequirementSkill(models.Model):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey("interviews.Skill", on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(default=1.0)
    evidence = models.CharField(max_length=200, blank=True, help_text="The words of the line that matched.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "skill"], name="one_link_per_requirement_skill"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} ({self.weight:.2f})"
