import random

import pytest

from interviews.models import Answer, Question
from interviews.planning.plan import allocate, choose_questions, start_interview
from interviews.postings.services import create_posting
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory, SkillFactory


def test_allocation_follows_weights_and_sums_to_n():
    assert allocate({"a": 0.5, "b": 0.3, "c": 0.2}, 10) == {"a": 5, "b": 3, "c": 2}
    counts = allocate({"a": 0.6, "b": 0.25, "c": 0.15}, 3)
    assert sum(counts.values()) == 3
    assert counts["a"] >= counts.get("c", 0)


def test_allocation_of_an_empty_profile_is_empty():
    assert allocate({}, 5) == {}


@pytest.mark.django_db
def test_unseen_questions_come_before_answered_ones(user):
    skill = SkillFactory(slug="probability")
    seen = QuestionFactory(skills=[skill], difficulty=2)
    unseen = QuestionFactory(skills=[skill], difficulty=2)
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[seen]))
    Answer.objects.create(session=session, question=seen, text="an answer")
    picked = choose_questions(user, {"probability": 1.0}, "mid", 1, rng=random.Random(0))
    assert picked == [unseen]


@pytest.mark.django_db
def test_difficulty_follows_seniority(user):
    skill = SkillFactory(slug="statistics")
    easy = QuestionFactory(skills=[skill], difficulty=1)
    hard = QuestionFactory(skills=[skill], difficulty=5)
    assert choose_questions(user, {"statistics": 1.0}, "junior", 1) == [easy]
    assert choose_questions(user, {"statistics": 1.0}, "staff", 1) == [hard]


@pytest.mark.django_db
def test_drafts_are_never_planned(user):
    skill = SkillFactory(slug="sql")
    QuestionFactory(skills=[skill], status=Question.Status.DRAFT)
    assert choose_questions(user, {"sql": 1.0}, "mid", 3) == []


@pytest.mark.django_db
def test_start_interview_builds_a_set_of_distinct_questions_for_the_posting(bank, user):
    posting = create_posting(user, "ML Engineer\nRequirements:\n- PyTorch and CUDA kernels\n- SQL and pandas")
    session = start_interview(user, posting, 5)
    questions = session.ordered_questions()
    assert len(questions) == 5
    assert len({q.pk for q in questions}) == 5
    planned_skills = {s.slug for q in questions for s in q.skills.all()}
    assert planned_skills & {"pytorch", "gpu-performance", "sql", "pandas"}
    assert session.question_set.owner == user


@pytest.mark.django_db
def test_behavioural_questions_come_last(user):
    skill = SkillFactory(slug="communication")
    behavioural = QuestionFactory(skills=[skill], kind=Question.Kind.BEHAVIOURAL, difficulty=2)
    concept = QuestionFactory(skills=[skill], kind=Question.Kind.CONCEPT, difficulty=4)
    assert choose_questions(user, {"communication": 1.0}, "junior", 2) == [concept, behavioural]
