"""Mastery per skill, readiness per posting, streaks: the candidate's progress.

Mastery model (documented in the README): each skill has a Beta posterior over "the
share of questions on this skill the candidate answers well", starting from Beta(1, 1).
An answer with score s (0-5: the score that counts, so a regraded answer counts once)
on a question of difficulty d (1-5) adds
    successes += (s / 5) * (d / 3)      (a good answer to a hard question counts more)
    failures  += (1 - s / 5) * (3 / d)  (a poor answer to an easy question counts more)
Mastery is the posterior mean a / (a + b); its uncertainty the posterior standard
deviation. Everything comes from one aggregate query, however long the history.

Readiness does not count the prior as evidence: the Beta(1, 1) mean of 0.5 would make a
single grade of 0 look like a third of the way to mastery. It uses `shown`, the share of
the evidence that shows mastery with the prior's two pseudo-answers counted as not yet
shown, successes / (successes + failures + 2) = (a - 1) / (a + b): 0 for an unpractised
skill and for any number of zero grades, rising towards the mean as grades accumulate."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from interviews.models import (
    Answer,
    DailyScore,
    InterviewSession,
    Posting,
    Question,
    QuestionHistory,
    RequirementSkill,
    Skill,
    SkillScore,
)
from interviews.models.postings import weighted_profile
from interviews.models.sessions import AnswerQuerySet
from interviews.planning.coverage import RequirementLinks, posting_requirements


@dataclass
class Mastery:
    slug: str
    name: str
    mean: float  # 0-1
    sd: float
    answers: int
    shown: float  # 0-1: what readiness counts, the evidence without the prior (see above)


def shown(mastery: dict[str, "Mastery"], slug: str) -> float:
    """The mastery a skill contributes to readiness; an unpractised skill counts 0."""
    return mastery[slug].shown if slug in mastery else 0.0


def recent_practice_answers(user: User, limit: int = 10) -> AnswerQuerySet:
    """The candidate's practice answers that can be among the `limit` newest, newest first
    (the caller slices), found from their sessions rather than by sorting the whole
    history: a practice session finishes with its last answer, so the newest answers are
    in the sessions still open or among the `limit` finished last."""
    sessions = InterviewSession.objects.filter(candidate=user, mode=InterviewSession.Mode.PRACTICE)
    open_ = sessions.filter(finished_at__isnull=True).values_list("pk", flat=True)
    finished_last = sessions.filter(finished_at__isnull=False).order_by("-finished_at").values_list("pk", flat=True)
    ids = [*open_, *finished_last[:limit]]
    return Answer.objects.filter(session_id__in=ids).order_by("-submitted_at")


def mastery_by_skill(user: User) -> dict[str, Mastery]:
    """From the candidate's summary rows (interviews/progress/summary.py): one row per
    skill practised, however long the history."""
    rows = SkillScore.objects.filter(user=user, answers__gt=0).values_list(
        "skill__slug", "skill__name", "successes", "failures", "answers"
    )
    result = {}
    for slug, name, successes, failures, answers in rows:
        # Sums of additions and removals may drift a hair below zero; evidence never is.
        a, b = 1 + max(0.0, successes), 1 + max(0.0, failures)
        mean = a / (a + b)
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        result[slug] = Mastery(slug, name, mean, sd, answers, shown=(a - 1) / (a + b))
    return result


@dataclass
class Readiness:
    posting: Posting
    score: float  # 0-1: weighted mastery over the posting's skill profile
    gaps: list[tuple[str, str, float]]  # (slug, name, readiness gained by mastering it), best first


def readiness_for(postings: list[Posting], mastery: dict[str, Mastery]) -> list[Readiness]:
    """Readiness for each posting, in two queries however many postings there are."""
    links: dict[int, list[tuple[str, str, float]]] = {p.pk: [] for p in postings}
    rows = RequirementSkill.objects.filter(requirement__posting__in=postings).values_list(
        "requirement__posting_id", "requirement__section", "skill__slug", "weight"
    )
    for posting_id, section, slug, weight in rows:
        links[posting_id].append((section, slug, weight))
    names = dict(Skill.objects.values_list("slug", "name"))
    return [readiness(p, weighted_profile(links[p.pk]), mastery, names) for p in postings]


def readiness(
    posting: Posting, profile: dict[str, float], mastery: dict[str, Mastery], names: dict[str, str]
) -> Readiness:
    # Readiness is earned, not assumed: an unpractised skill counts 0 and the prior nothing.
    score = sum(w * shown(mastery, s) for s, w in profile.items())
    gaps = sorted(
        ((s, names.get(s, s), w * (1 - shown(mastery, s))) for s, w in profile.items()),
        key=lambda gap: -gap[2],
    )
    return Readiness(posting=posting, score=score, gaps=gaps[:3])


def score_history(user: User) -> list[tuple[date, float, int]]:
    """(day answered, average score that counts, answers graded) per day, from the
    candidate's summary rows."""
    rows = DailyScore.objects.filter(user=user, answers__gt=0).order_by("day").values_list("day", "total", "answers")
    return [(day, total / answers, answers) for day, total, answers in rows]


def streak(user: User, today: date | None = None) -> int:
    """Consecutive days of practice, up to today (or yesterday): days with at least one
    practice answer graded, from the candidate's summary rows (a grade lands within seconds
    of the answer, on the day it was answered)."""
    today = today or timezone.localdate()
    days = set(
        DailyScore.objects.filter(user=user, answers__gt=0, day__gte=today - timedelta(days=366)).values_list(
            "day", flat=True
        )
    )
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass
class RequirementReadiness:
    text: str
    section: str
    readiness: float | None  # None: no recognised skill, so nothing to measure
    # (skill name, the mastery readiness counts, or None if unpractised): the same quantity
    # as the readiness column, so the two never disagree
    skills: list[tuple[str, float | None]]
    evidence: list[tuple[str, float]]  # (question slug, latest score) of answers that test it


def requirement_readiness(
    posting: Posting, user: User, rows: list[RequirementLinks] | None = None
) -> list[RequirementReadiness]:
    """Each requirement, traced to the candidate's mastery of its skills and to the graded
    answers behind it. A fixed number of queries, whatever the history. `rows`: the
    posting's requirements (posting_requirements), when the caller has them."""
    mastery = mastery_by_skill(user)
    requirements = posting_requirements(posting) if rows is None else rows
    slugs = {slug for _, links in requirements for slug, _, _ in links}
    # The questions that test these skills, then the latest score of each.
    tested: dict[int, tuple[str, list[str]]] = {}  # question id -> (slug, its skills among these)
    question_skills = Question.skills.through.objects.filter(skill__slug__in=slugs).values_list(
        "question_id", "question__slug", "skill__slug"
    )
    for question_id, question_slug, skill_slug in question_skills:
        tested.setdefault(question_id, (question_slug, []))[1].append(skill_slug)
    # The latest practice score of each of these questions: the candidate's summary rows
    # (QuestionHistory), one per question answered (a few hundred at most), not their
    # answers. All of them, kept here if tested: `question_id IN` the ~280 tested ids bound
    # 280 parameters and, prepared, planned for no candidate in particular (5.1-5.6 ms
    # against 1.1-1.3 ms for the busiest candidate at scale).
    history = QuestionHistory.objects.filter(user=user, latest_practice_score__isnull=False)
    scores: dict[int, float] = {
        question_id: score
        for question_id, score in history.values_list("question_id", "latest_practice_score")
        if question_id in tested and score is not None  # never None here: filtered above
    }
    latest: dict[str, dict[str, float]] = {}  # skill -> question slug -> score of the latest answer
    for question_id, score in scores.items():
        question_slug, skills = tested[question_id]
        for skill in skills:
            latest.setdefault(skill, {})[question_slug] = score
    result = []
    for requirement, links in requirements:
        if not links:
            result.append(RequirementReadiness(requirement.text, requirement.section, None, [], []))
            continue
        total = sum(weight for _, _, weight in links)
        score = sum(weight * shown(mastery, slug) for slug, _, weight in links)
        evidence: dict[str, float] = {}
        for slug, _, _ in links:
            evidence.update(latest.get(slug, {}))
        result.append(
            RequirementReadiness(
                text=requirement.text,
                section=requirement.section,
                readiness=score / total if total else 0.0,
                skills=[(name, mastery[slug].shown if slug in mastery else None) for slug, name, _ in links],
                evidence=sorted(evidence.items())[:4],
            )
        )
    return result


@dataclass
class NextStep:
    posting: Posting
    readiness: float
    skill: Skill
    gain: float  # readiness the posting would gain with this skill mastered


def next_best_practice(user: User, postings: list[Posting]) -> NextStep | None:
    """The single practice that raises readiness most, over the candidate's postings."""
    if not postings:
        return None
    best = _biggest_gap(readiness_for(postings, mastery_by_skill(user)))
    if best is None:
        return None
    ready, slug, gain = best
    skill = Skill.objects.filter(slug=slug).first()
    return NextStep(ready.posting, ready.score, skill, gain) if skill else None


def _biggest_gap(readiness: list[Readiness]) -> tuple[Readiness, str, float] | None:
    best = max(((r, gap) for r in readiness for gap in r.gaps), key=lambda pair: pair[1][2], default=None)
    if best is None or best[1][2] <= 0:
        return None
    return best[0], best[1][0], best[1][2]


def skill_to_practise(readiness: list[Readiness], mastery: dict[str, Mastery]) -> tuple[str, str] | None:
    """(skill slug, why): the skill whose practice would raise readiness most, else the
    weakest practised one; None for a candidate with neither postings nor grades."""
    best = _biggest_gap(readiness)
    if best is not None:
        return best[1], f"it would raise your readiness for {best[0].posting.title} most"
    weakest = min(mastery.values(), key=lambda m: m.mean, default=None)
    return (weakest.slug, "it is your weakest practised skill") if weakest else None
