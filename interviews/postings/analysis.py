"""Posting text -> requirements mapped to weighted skills with evidence, and a seniority.

Offline: taxonomy synonyms on word boundaries, plus sentence-embedding similarity
between each line and each skill's description (catches "squeeze every clock cycle out
of training" without a keyword). With an LLM configured: structured extraction,
validated against the taxonomy; any LLM failure falls back to offline and says so."""

import re

import numpy as np
from django.conf import settings

from interviews import llm
from interviews.postings.llm_extract import extract_with_llm
from interviews.postings.records import ExtractedRequirement, PostingAnalysis, SkillMatch
from interviews.postings.taxonomy import skill_index
from interviews.postings.text import PostingTextError, clean, find_title, infer_seniority, split_lines

# Cosine similarity between a line and a skill's closest anchor phrase: below SEMANTIC_MIN
# no match; at SEMANTIC_FULL the semantic match counts as much as a synonym. Only lines no
# specific synonym matched get semantic matches: the top skill, and a runner-up within
# SEMANTIC_TIE of it (two skills equally close are both plausible).
SEMANTIC_MIN, SEMANTIC_FULL, SEMANTIC_TIE = 0.47, 0.70, 0.03
WEAK_WEIGHT = 0.35  # a generic word ("production", "cloud") hints at a skill
# An LLM extraction must cover this share of the lines the offline analysis found skills in;
# below it the lines the model skipped are added back from the offline analysis. A line is
# covered when an extracted item holds COVER_WORDS of its words (the model may rephrase a little
# or split a line in two).
MIN_COVERAGE, COVER_WORDS = 0.6, 0.5


def check_text(raw_text: str) -> str:
    """The cleaned text, or PostingTextError with a message for the user."""
    if not raw_text or not raw_text.strip():
        raise PostingTextError("The posting is empty. Paste the text of a job posting.")
    if len(raw_text) > settings.POSTING_MAX_CHARS:
        raise PostingTextError(
            f"The posting is too long ({len(raw_text):,} characters; the limit is "
            f"{settings.POSTING_MAX_CHARS:,}). Paste only the job description."
        )
    return clean(raw_text)


def synonym_matches(text: str) -> list[SkillMatch]:
    index = skill_index()
    strong_hits = {slug: list(strong.finditer(text)) for slug, strong, _ in index.patterns}
    claimed = [(m.start(), m.end(), slug) for slug, hits in strong_hits.items() for m in hits]

    def inside_longer(slug: str, hit: re.Match[str]) -> bool:
        # "Triton" in "Triton Inference Server" or "attention" in "paged attention" belongs
        # to the skill that named the longer phrase.
        return any(
            other != slug and start <= hit.start() and hit.end() <= end and end - start > hit.end() - hit.start()
            for start, end, other in claimed
        )

    matches = []
    for slug, _, weak in index.patterns:
        found = [hit.group(0) for hit in strong_hits[slug] if not inside_longer(slug, hit)]
        if found:
            # More distinct terms of one skill in a line = a stronger signal, capped.
            weight = min(1.0, 0.6 + 0.2 * len({f.lower() for f in found}))
            matches.append(SkillMatch(slug=slug, weight=weight, evidence=found[0], method="synonym"))
        elif weak and (hint := next((hit for hit in weak.finditer(text) if not inside_longer(slug, hit)), None)):
            matches.append(SkillMatch(slug=slug, weight=WEAK_WEIGHT, evidence=hint.group(0), method="synonym"))
    return matches


def analyze_offline(text: str) -> PostingAnalysis:
    title, title_line = find_title(text)
    lines = [line for line in split_lines(text) if line.section != "ignored" and line.text not in (title, title_line)]
    index = skill_index()
    similarity = index.similarity([line.text for line in lines])
    requirements = []
    for row, line in enumerate(lines):
        skills = {m.slug: m for m in synonym_matches(line.text)}
        if all(m.weight <= WEAK_WEIGHT for m in skills.values()):
            top, runner_up = np.argsort(-similarity[row])[:2]
            for col in (top, runner_up):
                score = float(similarity[row, col])
                if score < SEMANTIC_MIN or score < similarity[row, top] - SEMANTIC_TIE:
                    continue
                slug = index.slugs[col]
                weight = 0.8 * min(1.0, 0.25 + (score - SEMANTIC_MIN) / (SEMANTIC_FULL - SEMANTIC_MIN))
                if weight > (skills[slug].weight if slug in skills else 0):
                    skills[slug] = SkillMatch(slug=slug, weight=weight, evidence=line.text[:200], method="semantic")
        # Outside the known sections only lines that name a skill count as requirements.
        if skills or line.section != "other":
            requirements.append(
                ExtractedRequirement(text=line.text, section=line.section, skills=list(skills.values()))
            )
    return PostingAnalysis(
        title=title, seniority=infer_seniority(title, text), requirements=requirements, method="offline"
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9+#]+", text.lower()))


def _covers(item: str, line: str) -> bool:
    line_words = _words(line)
    return bool(line_words) and len(line_words & _words(item)) / len(line_words) >= COVER_WORDS


def check_against_offline(extracted: PostingAnalysis, offline: PostingAnalysis) -> PostingAnalysis:
    """The LLM's extraction, repaired where it skipped the posting's requirement lines.

    A small model may return one requirement (the job title) tagged with every skill at full
    weight: the title is no requirement, and a posting whose listed skills the model missed is
    filled in from the offline analysis, with the method saying how much the model covered."""
    title_words = _words(offline.title)
    kept = [r for r in extracted.requirements if not title_words or _words(r.text) != title_words]
    # Prose outside the posting's sections ("We build search for millions") is company
    # marketing the model is told to skip; it counts only when the posting has no sections.
    with_skills = [r for r in offline.requirements if r.skills]
    lines = [r for r in with_skills if r.section != "other"] or with_skills
    if not lines:
        extracted.requirements = kept or extracted.requirements
        return extracted
    missed = [line for line in lines if not any(_covers(r.text, line.text) for r in kept)]
    covered = len(lines) - len(missed)
    if covered / len(lines) >= MIN_COVERAGE and kept:
        extracted.requirements = kept
        return extracted
    note = f"LLM covered {covered} of {len(lines)} requirement lines"
    if not kept:
        offline.method = f"offline ({note})"
        return offline
    return PostingAnalysis(
        title=extracted.title,
        seniority=extracted.seniority,
        requirements=kept + missed,
        method=f"{extracted.method} + offline ({note})",
    )


def analyze(raw_text: str, use_llm: bool | None = None) -> PostingAnalysis:
    text = check_text(raw_text)
    analysis: PostingAnalysis | None = None
    if use_llm if use_llm is not None else llm.is_configured():
        try:
            analysis = check_against_offline(extract_with_llm(text), analyze_offline(text))
        except llm.LLMError as exc:
            analysis = analyze_offline(text)
            analysis.method = f"offline (LLM failed: {type(exc).__name__})"
    if analysis is None:
        analysis = analyze_offline(text)
    if not any(r.skills for r in analysis.requirements):
        raise PostingTextError(
            "No machine-learning skills were recognised in this text. Is it a job posting for an ML role?"
        )
    return analysis
