"""Skill profile -> an ordered plan of bank questions, with a coverage map.

Questions are allocated across the profile's skills by weight (largest remainder) and
picked greedily per slot: unseen questions first, then ones due to revisit (answered
long ago or answered badly), then the rest; among those, questions whose skills match a
requirement of the posting (and stay inside its profile), difficulty near the
seniority's target and kinds mixed. The choice is seeded by the posting, the candidate
and their history, so a reload shows the same plan and practising (or asking for a new
plan) changes it. A plan identical to one this candidate already had is varied by one
question."""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from accounts.models import User
from interviews.models import (
    Answer,
    InterviewSession,
    Posting,
    Question,
    QuestionHistory,
    QuestionSet,
    QuestionSetItem,
    Skill,
)
from interviews.models.postings import SECTION_WEIGHTS
from interviews.planning.coverage import (
    QuestionReason,
    RequirementCoverage,
    RequirementLinks,
    coverage_map,
    posting_requirements,
    profile_of,
)

TARGET_DIFFICULTY = {"junior": 1.5, "mid": 2.5, "senior": 3.5, "staff": 4.5}
MAX_QUESTIONS = 20
REVISIT_AFTER = timedelta(days=3)
KIND_REPEAT_COST = 1.2
# Costs in difficulty steps. A question covering only part of a requirement's skills
# costs up to RECALL_COST more; one testing skills outside the posting's profile (a
# ticket-routing design for a GPU role) up to OFF_PROFILE_COST; one whose primary skill
# is not the slot's, NOT_PRIMARY_COST.
RECALL_COST = 1.5
OFF_PROFILE_COST = 3.0
NOT_PRIMARY_COST = 2.5
# A slot's question must fit at least this well (a cost at most this); when none does, the
# slot goes to the best-fitting question for any of the posting's skills. Ticket routing
# (an off-profile NLP skill, and only the weak "architecture" link of a GPU requirement)
# costs 2.55; a question testing only in-profile skills at most 1.5.
SLOT_FIT_LIMIT = 2.0
# Up to this many difficulty steps of seeded noise, so that near-equal questions take
# turns across plans instead of the single best one appearing in every plan.
JITTER = 1.0
# Skills that are written as code: a posting asking for one of them gets executable
# questions in its plans; a posting that asks for none (a research or product-analytics
# role, say) is never handed a code editor, even where a coding question's other skill fits.
CODING_SKILLS = frozenset({"python", "pandas", "scikit-learn", "pytorch"})
FAMILIARITY = {0: "unseen", 1: "due to revisit", 2: "answered recently"}


@dataclass
class PlanOptions:
    questions: int = 5
    difficulty: int | None = None  # None: from the posting's seniority
    exclude_skills: frozenset[str] = frozenset()
    variant: int = 0  # "New plan": another plan for the same posting, history and options


@dataclass(frozen=True)
class RequirementSkills:
    """A requirement as the planner weighs it: its skills and their link weights."""

    index: int
    text: str
    section: str
    weights: dict[str, float]
    names: dict[str, str]  # skill slug -> name

    @cached_property
    def total(self) -> float:
        """The sum of the weights (match asks for it once per question and slot)."""
        return sum(self.weights.values())


@dataclass(frozen=True)
class Match:
    """How well a question fits the posting: `recall`, the largest share of one
    requirement's skill weight the question tests; `precision`, the share of the
    question's skills that are in the profile. `requirement` is the one it covers best."""

    recall: float
    precision: float
    requirement: RequirementSkills | None

    @property
    def cost(self) -> float:
        return RECALL_COST * (1 - self.recall) + OFF_PROFILE_COST * (1 - self.precision)


@dataclass
class Pick:
    question: Question
    match: Match
    familiarity: int  # 0 unseen, 1 due to revisit, 2 answered recently


@dataclass
class Plan:
    questions: list[Question]
    requirements: list[RequirementCoverage] = field(default_factory=list)
    reasons: list[QuestionReason] = field(default_factory=list)  # one per question, in order

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
        why = {reason.slug: reason.text for reason in self.reasons}
        return {
            "questions": [
                {
                    "slug": q.slug,
                    "kind": q.kind,
                    "skills": [s.slug for s in q.skills.all()],
                    "difficulty": q.difficulty,
                    "covers": [r.index for r in self.requirements if q.slug in r.question_slugs],
                    "why": why.get(q.slug, ""),
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
    """Question id -> 0 unseen (absent), 1 due to revisit, 2 seen recently and answered well."""
    return history(candidate)[0]


def history(candidate: User | None) -> tuple[dict[int, int], int]:
    """The candidate's familiarity with each question and their number of answers, from
    their summary rows (QuestionHistory: one per question answered, however long the
    history; aggregating 6,500 answers cost the posting page ~25 ms)."""
    if candidate is None:
        return {}, 0
    rows = QuestionHistory.objects.filter(user=candidate).values_list(
        "question_id", "last_answered", "best_score", "answers"
    )
    due_before = timezone.now() - REVISIT_AFTER
    seen, answers = {}, 0
    for question_id, last, best, n in rows:
        seen[question_id] = 1 if last < due_before or (best is not None and best < 3) else 2
        answers += n
    return seen, answers


def plan_seed(posting: Posting, candidate: User | None, answers: int | None = None) -> str:
    """The same posting and candidate history always give the same plan (for each
    variant): a reload changes nothing, while an answer or a new interview does. A string
    seed is hashed with SHA-512 by `random`, so it is stable across processes. `answers`:
    the candidate's number of answers, when the caller has counted them (history)."""
    sessions = 0
    if candidate is not None:
        sessions = InterviewSession.objects.filter(candidate=candidate).count()
        if answers is None:
            answers = Answer.objects.filter(session__candidate=candidate).count()
    return f"plan:{posting.pk}:{candidate.pk if candidate else 0}:{sessions}:{answers or 0}"


@dataclass
class QuestionPool:
    """The usable bank, in primary-key order so that the same seed gives every question the
    same jitter on every database."""

    questions: list[Question]
    skills_of: dict[int, set[str]]
    primary_of: dict[int, str]

    @classmethod
    def load(cls, candidate: User | None = None) -> "QuestionPool":
        """The bank less anything an assessment the candidate is taking or invited to holds
        back: the shared bank (usable_bank) filtered by one query of held-back ids."""
        bank = usable_bank()
        if candidate is None or not candidate.is_authenticated:
            return bank
        held_back = set(Question.objects.held_back_from(candidate).values_list("pk", flat=True))
        if not held_back:
            return bank
        return cls(
            questions=[q for q in bank.questions if q.pk not in held_back],
            skills_of=bank.skills_of,
            primary_of=bank.primary_of,
        )


# The usable bank as the planner reads it, kept in the process for one bank version: every
# plan reads all of it (450 questions with their skills as objects cost ~150 ms to load,
# the same at any number of answers), while it changes only when the bank is loaded or a
# question approved, edited or retired. Keyed by what such a change moves (see bank_version).
_bank: dict[tuple[object, ...], QuestionPool] = {}


def bank_version() -> tuple[object, ...]:
    """What identifies the usable bank's content, in one aggregate query: which questions
    are approved and public (their number and the sum of their ids: a retirement or an
    approval moves them), their newest edit (loading the bank saves each changed question
    before setting its skills) and whether GPU questions can run (exclude_unrunnable)."""
    from interviews.execution.gpu import gpu_worker_registered

    public = Question.objects.filter(status=Question.Status.APPROVED, organization=None)
    row = public.aggregate(n=Count("pk"), ids=Sum("pk"), edited=Max("updated_at"))
    return (row["n"], row["ids"], row["edited"], gpu_worker_registered())


def usable_bank() -> QuestionPool:
    """Question.objects.usable() with skills, loaded once per bank version. The objects are
    shared between requests: nothing that plans may change them."""
    version = bank_version()
    pool = _bank.get(version)
    if pool is None:
        # Without the reference answers and code, which no plan reads, and with skills as
        # slugs and names only.
        lean_skills = Prefetch("skills", queryset=Skill.objects.only("id", "slug", "name"))
        loaded = Question.objects.usable().defer("reference_answer", "coding_files").select_related("primary_skill")
        questions = sorted(loaded.prefetch_related(lean_skills), key=lambda q: q.pk)
        pool = QuestionPool(
            questions=questions,
            skills_of={q.pk: {s.slug for s in q.skills.all()} for q in questions},
            primary_of={q.pk: q.primary_skill.slug for q in questions if q.primary_skill},
        )
        _bank.clear()  # one version at a time
        _bank[version] = pool
    return pool


def weigh_requirements(rows: list[RequirementLinks], profile: dict[str, float]) -> list[RequirementSkills]:
    """Requirements with at least one skill of the profile, keeping only those skills."""
    weighed = []
    for index, (requirement, links) in enumerate(rows):
        weights = {slug: weight for slug, _, weight in links if slug in profile and weight > 0}
        if weights:
            names = {slug: name for slug, name, _ in links}
            weighed.append(RequirementSkills(index, requirement.text, requirement.section, weights, names))
    return weighed


def match(skills: set[str], profile: dict[str, float], requirements: list[RequirementSkills]) -> Match:
    """How well a question testing `skills` fits these requirements (see `Match`).
    Without requirements (free practice of a skill, no posting) there is nothing to
    match, and every question fits."""
    if not requirements:
        return Match(1.0, 1.0, None)
    precision = len(skills & profile.keys()) / len(skills) if skills else 0.0
    best: RequirementSkills | None = None
    best_key = (0.0, 0.0)
    for requirement in requirements:
        share = sum(w for slug, w in requirement.weights.items() if slug in skills) / requirement.total
        # Ties go to the stronger section (a must-have over a line of blurb), then the earlier line.
        key = (round(share, 6), SECTION_WEIGHTS.get(requirement.section, 0.4))
        if share > 0 and key > best_key:
            best, best_key = requirement, key
    return Match(best_key[0], precision, best)


def asks_for_coding(profile: dict[str, float]) -> bool:
    return any(slug in CODING_SKILLS for slug in profile)


def select_questions(
    candidate: User | None,
    profile: dict[str, float],
    seniority: str,
    n: int,
    difficulty: int | None = None,
    rng: random.Random | None = None,
    requirements: list[RequirementSkills] | None = None,
    *,
    bank: QuestionPool | None = None,
    seen: dict[int, int] | None = None,
) -> tuple[list[Pick], list[Pick]]:
    """The plan's picks, in interview order, and every other question, best first (those
    that test the profile before the rest): what a repeated plan is varied with. `bank`
    and `seen` (the candidate's familiarity) may be passed in when planning twice."""
    rng = rng or random.Random()
    requirements = requirements or []
    target = float(difficulty) if difficulty else TARGET_DIFFICULTY.get(seniority, 2.5)
    seen = familiarity(candidate) if seen is None else seen
    bank = bank or QuestionPool.load(candidate)
    pool, skills_of, primary_slugs = bank.questions, bank.skills_of, bank.primary_of
    if not asks_for_coding(profile):
        pool = [q for q in pool if q.kind != Question.Kind.CODING]
    jitter = {q.pk: rng.random() for q in pool}
    matches: dict[tuple[int, str | None], Match] = {}
    # A match depends only on the question's skills (and the slot): many questions test the
    # same few, so each set of skills is matched against the requirements once, not once
    # per question (match was a quarter of a posting page's time).
    by_skills: dict[tuple[frozenset[str], str | None], Match] = {}
    kinds: Counter[str] = Counter()
    behavioural_cap = max(1, math.ceil(n / 5))
    chosen: list[Pick] = []
    taken: set[int] = set()

    def fit(question: Question, slot: str | None) -> Match:
        # A slot's question is judged against the requirements that ask for the slot's skill.
        key = (question.pk, slot)
        if key not in matches:
            skills = skills_of[question.pk]
            shared = (frozenset(skills), slot)
            if shared not in by_skills:
                relevant = [r for r in requirements if slot is None or slot in r.weights]
                by_skills[shared] = match(skills, profile, relevant)
            matches[key] = by_skills[shared]
        return matches[key]

    def rank(question: Question, slot: str | None) -> tuple[int, float]:
        # Each earlier pick of the same kind costs a little more than a difficulty step.
        spread = KIND_REPEAT_COST * kinds[question.kind]
        secondary = NOT_PRIMARY_COST if slot is not None and primary_slugs.get(question.pk) != slot else 0.0
        cost = abs(question.difficulty - target) + spread + fit(question, slot).cost + secondary
        return (seen.get(question.pk, 0), cost + JITTER * jitter[question.pk])

    def pick(candidates: list[Question], slot: str | None = None) -> bool:
        candidates = [
            q
            for q in candidates
            if q.pk not in taken
            and not (q.kind == Question.Kind.BEHAVIOURAL and kinds[q.kind] >= behavioural_cap)
            and (slot is None or fit(q, slot).cost <= SLOT_FIT_LIMIT)
        ]
        if not candidates:
            return False
        best = min(candidates, key=lambda q: rank(q, slot))
        chosen.append(Pick(best, fit(best, slot), seen.get(best.pk, 0)))
        taken.add(best.pk)
        kinds[best.kind] += 1
        return True

    for slug, count in allocate(profile, n).items():
        testing = [q for q in pool if slug in skills_of[q.pk]]
        for _ in range(count):
            if not pick(testing, slug):
                break
    # Skills with too few questions leave gaps: fill them from the profile's other skills,
    # then from the whole bank.
    related = [q for q in pool if skills_of[q.pk] & profile.keys()]
    while len(chosen) < n and (pick(related) or pick(pool)):
        pass
    profile_skills = profile.keys()
    spares = sorted(
        (q for q in pool if q.pk not in taken), key=lambda q: (not skills_of[q.pk] & profile_skills, rank(q, None))
    )
    # Like a real interview loop: technical questions first, then the coding exercise (the
    # longest, after the warm-up), behavioural ones at the end.
    last: dict[str, int] = {Question.Kind.CODING: 1, Question.Kind.BEHAVIOURAL: 2}
    ordered = sorted(chosen, key=lambda p: last.get(p.question.kind, 0))
    return ordered, [Pick(q, fit(q, None), seen.get(q.pk, 0)) for q in spares]


def choose_questions(
    candidate: User | None,
    profile: dict[str, float],
    seniority: str,
    n: int,
    difficulty: int | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    picks, _ = select_questions(candidate, profile, seniority, n, difficulty, rng)
    return [p.question for p in picks]


def explain(picks: list[Pick], with_status: bool) -> list[QuestionReason]:
    reasons = []
    for number, p in enumerate(picks, start=1):
        requirement = p.match.requirement
        tested = {s.slug for s in p.question.skills.all()}
        via = [requirement.names[slug] for slug in requirement.weights if slug in tested] if requirement else []
        reasons.append(
            QuestionReason(
                number=number,
                slug=p.question.slug,
                requirement=requirement.text if requirement else "",
                via=via,
                status=FAMILIARITY[p.familiarity] if with_status else "",
            )
        )
    return reasons


def build_plan(
    posting: Posting,
    candidate: User | None,
    options: PlanOptions,
    rng: random.Random | None = None,
    rows: list[RequirementLinks] | None = None,
) -> Plan:
    """The plan for this posting. Without `rng` it is seeded by `plan_seed` and the
    variant, so it is stable; a variant after the first never repeats the one before.
    `rows`: the posting's requirements (posting_requirements), when the caller has them."""
    n = max(1, min(options.questions, MAX_QUESTIONS))
    rows = posting_requirements(posting) if rows is None else rows
    profile = {slug: w for slug, w in profile_of(rows).items() if slug not in options.exclude_skills}
    requirements = weigh_requirements(rows, profile)
    bank, (seen, answered) = QuestionPool.load(candidate), history(candidate)
    seed = plan_seed(posting, candidate, answered) if rng is None else ""

    def select(generator: random.Random) -> tuple[list[Pick], list[Pick]]:
        return select_questions(
            candidate, profile, posting.seniority, n, options.difficulty, generator, requirements, bank=bank, seen=seen
        )

    picks, spares = select(rng or random.Random(f"{seed}:{options.variant}"))
    avoid: set[frozenset[int]] = set()
    if rng is None and options.variant > 0:
        # "New plan" must show a different plan, even when the seeds happen to agree.
        previous, _ = select(random.Random(f"{seed}:{options.variant - 1}"))
        avoid.add(frozenset(p.question.pk for p in previous))
    picks = vary_if_repeated(candidate, picks, spares, avoid)
    questions = [p.question for p in picks]
    return Plan(
        questions=questions,
        requirements=coverage_map(posting, questions, rows),
        reasons=explain(picks, with_status=candidate is not None),
    )


def vary_if_repeated(
    candidate: User | None, picks: list[Pick], spares: list[Pick], avoid: set[frozenset[int]] | None = None
) -> list[Pick]:
    """Never hand a candidate the same set twice (nor a set in `avoid`): swap one question
    (the last first) for the best spare, until the set is a new one."""
    seen = set(avoid or ())
    if not picks:
        return picks
    chosen = frozenset(p.question.pk for p in picks)
    if chosen not in seen and (candidate is None or not _had_set(candidate, chosen)):
        return picks  # the usual case, decided without loading every set the candidate had
    if candidate is not None:
        sets: dict[int, set[int]] = {}
        earlier = QuestionSetItem.objects.filter(question_set__owner=candidate).values_list(
            "question_set_id", "question_id"
        )
        for set_id, question_id in earlier:
            sets.setdefault(set_id, set()).add(question_id)
        seen |= {frozenset(ids) for ids in sets.values()}
    for position in reversed(range(len(picks))):
        for spare in spares:
            varied = [*picks[:position], spare, *picks[position + 1 :]]
            if frozenset(p.question.pk for p in varied) not in seen:
                return varied
    return picks


def _had_set(candidate: User, questions: frozenset[int]) -> bool:
    """Whether the candidate already had a set of exactly these questions: counted by the
    database (a busy candidate's 943 sets hold ~5,000 items, ~10 ms to load and compare),
    among only the sets holding one of them (a probe of the unique index per set: grouping
    all 6,500 items took 3.7 ms)."""
    holding_one = QuestionSetItem.objects.filter(question_set__owner=candidate, question_id=min(questions))
    return (
        QuestionSetItem.objects.filter(question_set__in=holding_one.values("question_set"))
        .order_by()
        .values("question_set")
        .annotate(
            n=Count("question_id", distinct=True),
            hits=Count("question_id", distinct=True, filter=Q(question_id__in=questions)),
        )
        .filter(n=len(questions), hits=len(questions))
        .exists()
    )


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
