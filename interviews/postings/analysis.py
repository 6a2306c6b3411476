"""Posting text -> requirements mapped to weighted skills, and a seniority.

First cut: offline matching by taxonomy synonyms on word boundaries."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from interviews.models import Requirement, Skill
from interviews.postings.text import PostingTextError, clean, guess_title, split_lines


@dataclass
class SkillMatch:
    slug: str
    weight: float
    evidence: str


@dataclass
class RequirementDraft:
    text: str
    section: str
    skills: list[SkillMatch] = field(default_factory=list)


@dataclass
class PostingAnalysis:
    title: str
    seniority: str
    requirements: list[RequirementDraft]

    def skill_profile(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for requirement in self.requirements:
            factor = Requirement.SECTION_WEIGHTS.get(requirement.section, 0.4)
            for match in requirement.skills:
                totals[match.slug] = totals.get(match.slug, 0.0) + match.weight * factor
        total = sum(totals.values()) or 1.0
        return {slug: w / total for slug, w in sorted(totals.items(), key=lambda item: -item[1])}


@lru_cache(maxsize=1)
def _synonym_patterns(version: int) -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for skill in Skill.objects.all():
        terms = sorted({s.lower() for s in [skill.name, *skill.synonyms]}, key=len, reverse=True)
        alternation = "|".join(re.escape(term) for term in terms)
        patterns.append((skill.slug, re.compile(rf"(?<![\w/.+-])({alternation})(?![\w+])", re.IGNORECASE)))
    return patterns


def synonym_patterns() -> list[tuple[str, re.Pattern[str]]]:
    # Keyed on the skill count so a freshly loaded taxonomy is picked up.
    return _synonym_patterns(Skill.objects.count())


def match_skills(text: str) -> list[SkillMatch]:
    matches = []
    for slug, pattern in synonym_patterns():
        found = pattern.findall(text)
        if found:
            # More distinct terms from one skill = a stronger signal, capped.
            weight = min(1.0, 0.6 + 0.2 * len({f.lower() for f in found}))
            matches.append(SkillMatch(slug=slug, weight=weight, evidence=found[0]))
    return matches


SENIORITY_TITLE = [
    ("staff", re.compile(r"\b(staff|principal|distinguished|head of|director)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?|lead)\b", re.I)),
    ("junior", re.compile(r"\b(junior|jr\.?|entry[- ]level|graduate|intern|trainee|working student)\b", re.I)),
]
YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:-\s*\d{1,2}\s*)?(?:years|yrs)", re.I)


def infer_seniority(title: str, text: str) -> str:
    for level, pattern in SENIORITY_TITLE:
        if pattern.search(title):
            return level
    years = [int(y) for y in YEARS.findall(text) if int(y) <= 30]
    if years:
        most = max(years)
        if most >= 8:
            return "staff"
        if most >= 5:
            return "senior"
        if most >= 2:
            return "mid"
        return "junior"
    return "mid"


def analyze(raw_text: str) -> PostingAnalysis:
    if not raw_text or not raw_text.strip():
        raise PostingTextError("The posting is empty. Paste the text of a job posting.")
    if len(raw_text) > settings.POSTING_MAX_CHARS:
        raise PostingTextError(
            f"The posting is too long ({len(raw_text):,} characters; the limit is "
            f"{settings.POSTING_MAX_CHARS:,}). Paste only the job description."
        )
    text = clean(raw_text)
    title = guess_title(text)
    requirements = []
    for line in split_lines(text):
        if line.section == "ignored" or line.text == title:
            continue
        skills = match_skills(line.text)
        # Outside the known sections only lines that name a skill count as requirements.
        if skills or line.section != "other":
            requirements.append(RequirementDraft(text=line.text, section=line.section, skills=skills))
    if not any(r.skills for r in requirements):
        raise PostingTextError(
            "No machine-learning skills were recognised in this text. Is it a job posting for an ML role?"
        )
    return PostingAnalysis(title=title, seniority=infer_seniority(title, text), requirements=requirements)
