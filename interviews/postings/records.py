"""What reading a posting produces, shared by the offline analyser (analysis.py) and the
LLM extractor (llm_extract.py): both build these, neither imports the other's module for them."""

from dataclasses import dataclass, field

from interviews.models.postings import weighted_profile


@dataclass
class SkillMatch:
    slug: str
    weight: float
    evidence: str
    method: str  # synonym | semantic | llm


@dataclass
class ExtractedRequirement:
    text: str
    section: str
    skills: list[SkillMatch] = field(default_factory=list)


@dataclass
class PostingAnalysis:
    title: str
    seniority: str
    requirements: list[ExtractedRequirement]
    method: str = "offline"

    def skill_profile(self) -> dict[str, float]:
        return weighted_profile((r.section, m.slug, m.weight) for r in self.requirements for m in r.skills)

    def as_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "seniority": self.seniority,
            "method": self.method,
            "requirements": [
                {
                    "text": r.text,
                    "section": r.section,
                    "skills": [
                        {"slug": m.slug, "weight": round(m.weight, 3), "evidence": m.evidence, "method": m.method}
                        for m in r.skills
                    ],
                }
                for r in self.requirements
            ],
            "skill_profile": {slug: round(w, 4) for slug, w in self.skill_profile().items()},
        }
