"""Skill profile -> an ordered plan of bank questions.

Questions are allocated across the posting's skills by weight (largest remainder), pitched
at the posting's seniority, and questions this candidate has not answered come first."""

import random
from collections import Counter

from django.db import transaction

from accounts.models import User
from interviews.models import Answer, InterviewSession, Posting, Question, QuestionSet, QuestionSetItem

TARGET_DIFFICULTY = {"junior": 1.5, "mid": 2.5, "senior": 3.5, "staff": 4.5}
MAX_QUESTIONS = 20


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


def choose_questions(
    candidate: User, profile: dict[str, float], seniority: str, n: int, rng: random.Random | None = None
) -> list[Question]:
    rng = rng or random.Random()
    target = TARGET_DIFFICULTY.get(seniority, 2.5)
    answered = Counter(Answer.objects.filter(session__candidate=candidate).values_list("question_id", flat=True))
    pool = list(Question.objects.usable().prefetch_related("skills"))
    jitter = {q.pk: rng.random() for q in pool}

    def rank(question: Question) -> tuple[int, float, float]:
        return (answered[question.pk], abs(question.difficulty - target), jitter[question.pk])

    chosen: list[Question] = []
    for slug, count in allocate(profile, n).items():
        matching = [q for q in pool if q not in chosen and slug in {s.slug for s in q.skills.all()}]
        chosen.extend(sorted(matching, key=rank)[:count])
    # Skills with too few questions leave gaps; fill them from the rest of the bank.
    rest = sorted((q for q in pool if q not in chosen), key=rank)
    chosen.extend(rest[: n - len(chosen)])
    # Like a real interview loop: technical questions first, behavioural ones at the end.
    return sorted(chosen, key=lambda q: q.kind == Question.Kind.BEHAVIOURAL)


@transaction.atomic
def start_interview(candidate: User, posting: Posting, n: int) -> InterviewSession:
    n = max(1, min(n, MAX_QUESTIONS))
    questions = choose_questions(candidate, posting.skill_profile(), posting.seniority, n)
    question_set = QuestionSet.objects.create(
        title=f"Mock interview: {posting.title}", owner=candidate, posting=posting
    )
    QuestionSetItem.objects.bulk_create(
        QuestionSetItem(question_set=question_set, question=q, order=i) for i, q in enumerate(questions)
    )
    return InterviewSession.objects.create(candidate=candidate, question_set=question_set, posting=posting)
