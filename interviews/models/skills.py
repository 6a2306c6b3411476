from django.db import models


class SkillArea(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A leaf of the two-level taxonomy (area > skill); loaded from bank/skills.yaml."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="skills")
    description = models.TextField(blank=True)
    synonyms = models.JSONField(default=list, blank=True)
    weak_synonyms = models.JSONField(default=list, blank=True, help_text="Generic words that count for less.")

    class Meta:
        ordering = ["area__order", "name"]

    def __str__(self) -> str:
        return self.name
