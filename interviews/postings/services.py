from django.db import transaction

from accounts.models import User
from interviews import llm
from interviews.models import Posting, Requirement, RequirementSkill, Skill
from interviews.postings.analysis import analyze
from interviews.postings.records import PostingAnalysis


@transaction.atomic
def create_posting(
    owner: User,
    raw_text: str,
    title: str = "",
    company: str = "",
    use_llm: bool | None = None,
    llm_later: bool = False,
) -> Posting:
    """Analyse the text and save the posting with its requirements, all or nothing.

    With `llm_later` and an LLM configured, the posting is saved at once with the offline
    analysis and the LLM's runs on the `llm` queue (a local model takes minutes; a hanging
    server once held a request for 283.7 s). Raises PostingTextError (with a message for the
    user) before anything is written."""
    deferred = llm_later and (use_llm if use_llm is not None else llm.is_configured())
    analysis = analyze(raw_text, use_llm=False if deferred else use_llm)
    posting = Posting.objects.create(
        owner=owner,
        title=(title.strip() or analysis.title)[:300],
        company=company.strip()[:200],
        raw_text=raw_text,
        seniority=analysis.seniority,
        analysis_method=analysis.method,
        llm_analysis_pending=deferred,
    )
    _save_requirements(posting, analysis)
    if deferred:
        from interviews.tasks import analyze_posting_with_llm

        analyze_posting_with_llm.delay_on_commit(posting.pk)
    return posting


def _save_requirements(posting: Posting, analysis: PostingAnalysis) -> None:
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


def finish_llm_analysis(posting_id: int) -> str:
    """The LLM's analysis replaces the offline one the posting was saved with; then questions
    are drafted for what the bank does not cover. Any LLM failure keeps the offline analysis
    (analyze() falls back and says so in the method)."""
    posting = Posting.objects.filter(pk=posting_id, llm_analysis_pending=True).first()
    if posting is None:
        return "gone"  # deleted, or already finished by an earlier delivery
    analysis = analyze(posting.raw_text, use_llm=True)  # the LLM call runs outside any transaction
    with transaction.atomic():
        posting = Posting.objects.select_for_update().get(pk=posting_id)
        posting.requirements.all().delete()
        _save_requirements(posting, analysis)
        posting.seniority = analysis.seniority
        posting.analysis_method = analysis.method
        posting.llm_analysis_pending = False
        posting.save(update_fields=["seniority", "analysis_method", "llm_analysis_pending"])
        from interviews.tasks import generate_questions

        generate_questions.delay_on_commit(posting.pk)
    return posting.analysis_method
