from django.db import transaction

from accounts.models import User
from interviews.models import Posting, Requirement, RequirementSkill, Skill
from interviews.postings.analysis import analyze


@transaction.atomic
def create_posting(
    owner: User, raw_text: str, title: str = "", company: str = "", use_llm: bool | None = None
) -> Posting:
    """Analyse the text and save the posting with its requirements, all or nothing.

    Raises PostingTextError (with a message for the user) before anything is written."""
    analysis = analyze(raw_text, use_llm=use_llm)
    posting = Posting.objects.create(
        owner=owner,
        title=(title.strip() or analysis.title)[:300],
        company=company.strip()[:200],
        raw_text=raw_text,
        seniority=analysis.seniority,
        analysis_method=analysis.method,
    )
    skills = {s.slug: s for s in Skill.objects.all()}
    requirements = Requirement.objects.bulk_create(
        Requirement(posting=posting, order=i, text=extracted.text, section=extracted.section)
        for i, extracted in enumerate(analysis.requirements)
    )
    RequirementSkill.objects.bulk_create(
        RequirementSkill(
            requirement=requirement, skill=skills[m.slug], weight=m.weight, evidence=m.evidence[:200], method=m.method
        )
        for requirement, extracted in zip(requirements, analysis.requirements, strict=True)
        for m in extracted.skills
    )
    return posting
