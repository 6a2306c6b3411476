"""The coverage map: every requirement of a posting with the questions that test it,
and every question with the requirement it is there for."""

from dataclasses import dataclass

from interviews.models import Posting, Question, Requirement
from interviews.models.postings import is_background, weighted_profile

# A requirement with its skill links as (slug, name, weight).
RequirementLinks = tuple[Requirement, list[tuple[str, str, float]]]


@dataclass
class QuestionReason:
    """Why a question is in the plan, for the coverage map."""

    number: int
    slug: str
    requirement: str  # "" when it covers no requirement (a gap filled from the bank)
    via: list[str]  # names of the skills it shares with that requirement
    status: str  # "unseen", "due to revisit", "answered recently"; "" without a candidate

    @property
    def text(self) -> str:
        covers = (
            f"covers: {self.requirement} via {', '.join(self.via)}"
            if self.requirement
            else "fills a gap: no closer question is left in the bank"
        )
        return f"{covers}; {self.status}" if self.status else covers


@dataclass
class RequirementCoverage:
    index: int
    text: str
    section: str
    skills: list[str]
    skill_names: list[str]
    question_slugs: list[str]
    question_numbers: list[int]  # 1-based positions in the plan
    background: bool

    @property
    def covered(self) -> bool:
        return bool(self.question_slugs)

    @property
    def section_label(self) -> str:
        """ "Must-have", "Nice-to-have", "Responsibility"; nothing where the posting gave no
        section (a list without headings), since "Other" would tell the reader nothing."""
        if self.section == Requirement.Section.OTHER or self.section not in Requirement.Section.values:
            return ""
        return str(Requirement.Section(self.section).label)

    @property
    def testable(self) -> bool:
        """Questions test skills: a requirement with no recognised skill cannot be covered."""
        return bool(self.skills)


def posting_requirements(posting: Posting) -> list[RequirementLinks]:
    """The posting's requirements in order, each with its (slug, name, weight) skill links."""
    requirements = Requirement.objects.filter(posting=posting).prefetch_related("skill_links__skill").order_by("order")
    return [
        (r, [(link.skill.slug, link.skill.name, link.weight) for link in r.skill_links.all()]) for r in requirements
    ]


def profile_of(rows: list[RequirementLinks]) -> dict[str, float]:
    """Posting.skill_profile() from requirements already loaded, without asking again."""
    return weighted_profile((r.section, slug, weight) for r, links in rows for slug, _, weight in links)


def skill_names(rows: list[RequirementLinks]) -> dict[str, str]:
    return {slug: name for _, links in rows for slug, name, _ in links}


def coverage_map(
    posting: Posting,
    questions: list[Question],
    rows: list[RequirementLinks] | None = None,
) -> list[RequirementCoverage]:
    question_skills = [(q.slug, {s.slug for s in q.skills.all()}) for q in questions]
    position = {q.slug: i for i, q in enumerate(questions, start=1)}
    coverage = []
    for index, (requirement, links) in enumerate(posting_requirements(posting) if rows is None else rows):
        skills = [slug for slug, _, _ in links]
        slugs = [slug for slug, tested in question_skills if tested & set(skills)]
        coverage.append(
            RequirementCoverage(
                index=index,
                text=requirement.text,
                section=requirement.section,
                skills=skills,
                skill_names=[name for _, name, _ in links],
                question_slugs=slugs,
                question_numbers=[position[slug] for slug in slugs],
                background=not skills and is_background(requirement.text),
            )
        )
    return coverage
