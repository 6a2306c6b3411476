"""Skill profile -> an ordered plan of bank questions, with a coverage map.

Questions are allocated across the profile's skills by weight (largest remainder) and
picked greedily per slot: unseen questions first, then ones due for review (answered
long ago or answered badly), then the rest; difficulty near the seniority's target; kinds
mixed so one plan is not all of one kind. A plan identical to one this candidate already
had is varied by one question."""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from interviews.models import (
    Answer,
    InterviewSession,
    Posting,
    Question,
    QuestionSet,
    QuestionSetItem,
    Requirement,
)
from interviews.models.postings import is_background

TARGET_DIFFICULTY = {"junior": 1.5, "mid": 2.5, "senior": 3.5, "staff": 4.5}
MAX_QUESTIONS = 20
REVIEW_AFTER = timedelta(days=3)
KIND_REPEAT_COST = 1.2


@dataclass
class PlanOptions:
    questions: int = 5
    difficulty: int | None = None  # None: from the posting's seniority
    exclude_skills: frozenset[str] = frozenset()


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
    def testable(self) -> bool:
        """Questions test skills: a requirement with no recognised skill cannot be covered."""
        return bool(self.skills)


@dataclass
class Plan:
    questions: list[Question]
    requirements: list[RequirementCoverage] = field(default_factory=list)

    @property
    def testable(self) -> list[RequirementCoverage]:
        return [r for r in self.requirements if r.testable]

    @property
    def uncovered(self) -> list[RequirementCoverage]:
        return [r for r in self.testable if not r.covered]

    @property
    def covered_count(self) -> int:
        return sum(r.covered for r in self.testable)

    @property
    def coverage(self) -> float:
        testable = self.testable
        return self.covered_count / len(testable) if testable else 1.0

    @property
    def coverage_percent(self) -> int:
        return round(self.coverage * 100)

    def as_json(self) -> dict[str, object]:
        return {
            "questions": [
                {
                    "slug": q.slug,
                    "kind": q.kind,
                    "skills": [s.slug for s in q.skills.all()],
                    "difficulty": q.difficulty,
                    "covers": [r.index for r in self.requirements if q.slug in r.question_slugs],
                }
                for q in self.questions
            ],
            "coverage": round(self.coverage, 4),
            "uncovered": [r.index for r in self.uncovered],
            "untestable": [r.index for r in self.requirements if not r.testable],
        }


def allocate(profile: dict[str, float], n: int) -> dict[str, int]:
    """Split n questions over skills in proportion to weight; the top skills get the rest."""
    top = dict(sorted(profile.items(), key=lambda item: -item[1])[:n])
    total = sum(top.values())
    if not total:
        return {}
    exact = {slug: n * weight / total for slug, weight in top.items()}
    counts = {slug: int(value) for slug, value in exact.items()}
    by_remainder = sorted(exact, key=lambda slug: -(exact[slug] - counts[slug]))
    for slug in by_remainder[: n - sum(counts.values())]:
        counts[slug] += 1
    return {slug: count for slug, count in counts.items() if count}


def familiarity(candidate: User | None) -> dict[int, int]:
    """Question id -> 0 unseen (absent), 1 due for review, 2 seen recently and answered well."""
    if candidate is None:
        return {}
    rows = (
        Answer.objects.filter(session__candidate=candidate)
        .values("question_id")
        .annotate(last=Max("submitted_at"), best=Max("grades__score"))
    )
    due_before = timezone.now() - REVIEW_AFTER
    return {
        row["question_id"]: 1 if row["last"] < due_before or (row["best"] is not None and row["best"] < 3) else 2
        for row in rows
    }


def choose_questions(
    candidate: User | None,
    profile: dict[str, float],
    seniority: str,
    n: int,
    difficulty: int | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    rng = rng or random.Random()
    target = float(difficulty) if difficulty else TARGET_DIFFICULTY.get(seniority, 2.5)
    seen = familiarity(candidate)
    pool = list(Question.objects.practisable_by(candidate).select_related("primary_skill").prefetch_related("skills"))
    primary_slugs = {q.pk: q.primary_skill.slug for q in pool if q.primary_skill}
    skills_of = {q.pk: {s.slug for s in q.skills.all()} for q in pool}
    jitter = {q.pk: rng.random() for q in pool}
    kinds: Counter[str] = Counter()
    behavioural_cap = max(1, math.ceil(n / 5))
    chosen: list[Question] = []

    def rank(question: Question) -> tuple[int, float, float]:
        # Each earlier pick of the same kind costs a little more than a difficulty step.
        spread = KIND_REPEAT_COST * kinds[question.kind]
        return (seen.get(question.pk, 0), abs(question.difficulty - target) + spread, jitter[question.pk])

    def pick(candidates: list[Question]) -> bool:
        candidates = [
            q
            for q in candidates
            if q not in chosen and not (q.kind == Question.Kind.BEHAVIOURAL and kinds[q.kind] >= behavioural_cap)
        ]
        if not candidates:
            return False
        best = min(candidates, key=rank)
        chosen.append(best)
        kinds[best.kind] += 1
        return True

    for slug, count in allocate(profile, n).items():
        # Prefer questions whose primary skill this is; fall back to any that test it.
        primary = [q for q in pool if q.primary_skill_id is not None and primary_slugs.get(q.pk) == slug]
        testing = [q for q in pool if slug in skills_of[q.pk]]
        for _ in range(count):
            if not pick(primary) and not pick(testing):
                break
    # Skills with too few questions leave gaps: fill them from the profile's other skills,
    # then from the whole bank.
    related = [q for q in pool if skills_of[q.pk] & profile.keys()]
    while len(chosen) < n and (pick(related) or pick(pool)):
        pass
    # Like a real interview loop: technical questions first, behavioural ones at the end.
    return sorted(chosen, key=lambda q: q.kind == Question.Kind.BEHAVIOURAL)


def coverage_map(posting: Posting, questions: list[Question]) -> list[RequirementCoverage]:
    question_skills = [(q.slug, {s.slug for s in q.skills.all()}) for q in questions]
    position = {q.slug: i for i, q in enumerate(questions, start=1)}
    rows = []
    requirements = Requirement.objects.filter(posting=posting).prefetch_related("skill_links__skill").order_by("order")
    for index, requirement in enumerate(requirements):
        links = list(requirement.skill_links.all())
        skills = [link.skill.slug for link in links]
        slugs = [slug for slug, tested in question_skills if tested & set(skills)]
        rows.append(
            RequirementCoverage(
                index=index,
                text=requirement.text,
                section=requirement.section,
                skills=skills,
                skill_names=[link.skill.name for link in links],
                question_slugs=slugs,
                question_numbers=[position[slug] for slug in slugs],
                background=not skills and is_background(requirement.text),
            )
        )
    return rows


def build_plan(
    posting: Posting, candidate: User | None, options: PlanOptions, rng: random.Random | None = None
) -> Plan:
    n = max(1, min(options.questions, MAX_QUESTIONS))
    profile = {slug: w for slug, w in posting.skill_profile().items() if slug not in options.exclude_skills}
    questions = choose_questions(candidate, profile, posting.seniority, n, options.difficulty, rng)
    questions = vary_if_repeated(candidate, posting, questions, profile)
    return Plan(questions=questions, requirements=coverage_map(posting, questions))


def vary_if_repeated(
    candidate: User | None, posting: Posting, questions: list[Question], profile: dict[str, float]
) -> list[Question]:
    """Never hand a candidate the same set twice: swap one question (the last first) for
    another that tests the profile, until the set is one the candidate has not had."""
    if candidate is None or not questions:
        return questions
    sets: dict[int, set[int]] = {}
    earlier = QuestionSetItem.objects.filter(question_set__owner=candidate).values_list(
        "question_set_id", "question_id"
    )
    for set_id, question_id in earlier:
        sets.setdefault(set_id, set()).add(question_id)
    seen = {frozenset(ids) for ids in sets.values()}
    planned = frozenset(q.pk for q in questions)
    if planned not in seen:
        return questions
    usable = Question.objects.practisable_by(candidate)
    alternatives = list(
        usable.filter(skills__slug__in=list(profile)).exclude(pk__in=planned).distinct().order_by("?")[:50]
    ) or list(usable.exclude(pk__in=planned).order_by("?")[:50])
    for position in reversed(range(len(questions))):
        for alternative in alternatives:
            varied = [*questions[:position], alternative, *questions[position + 1 :]]
            if frozenset(q.pk for q in varied) not in seen:
                return varied
    return questions


def start_interview(candidate: User, posting: Posting, questions: list[Question]) -> InterviewSession:
    return _start(candidate, f"Mock interview: {posting.title}", questions, posting)


def start_practice(candidate: User, title: str, questions: list[Question]) -> InterviewSession:
    return _start(candidate, title, questions, None)


@transaction.atomic
def _start(candidate: User, title: str, questions: list[Question], posting: Posting | None) -> InterviewSession:
    # Whatever picked them, questions held back by a live assessment never enter practice.
    held_back = set(Question.objects.held_back_from(candidate).values_list("pk", flat=True))
    questions = [q for q in questions if q.pk not in held_back]
    question_set = QuestionSet.objects.create(title=title[:300], owner=candidate, posting=posting)
    QuestionSetItem.objects.bulk_create(
        QuestionSetItem(question_set=question_set, question=q, order=i) for i, q in enumerate(questions)
    )
    return InterviewSession.objects.create(candidate=candidate, question_set=question_set, posting=posting)
