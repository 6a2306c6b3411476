"""Coding questions beside the text ones: in plans for postings that ask for coding skills
(and only those), in practice, in team sets and transcripts, and in mastery."""

import random

import pytest
from django.urls import reverse

from hiring.services import assessments, builder
from interviews.grading.service import run_grade, submit_answer
from interviews.models import Grade, Question, QuestionSet
from interviews.planning.plan import PlanOptions, asks_for_coding, build_plan, choose_questions
from interviews.postings.services import create_posting
from interviews.progress.mastery import mastery_by_skill
from tests.execution.conftest import needs_sandbox
from tests.execution.test_code_grading import softmax_question  # noqa: F401  (fixture)
from tests.execution.test_runner import NAIVE_SOFTMAX
from tests.factories import AnswerFactory, GradeFactory, InterviewSessionFactory, QuestionSetFactory
from tests.hiring.conftest import login, world  # noqa: F401  (fixture)

CODING_POSTING = "ML Engineer\nRequirements:\n- Write PyTorch training loops and custom layers\n- Python and pandas"
# Statistics is tested by executable questions too (a z-test, a beta-binomial A/B test), but
# nothing here asks the candidate to write code.
ANALYST_POSTING = "Product Analyst\nRequirements:\n- Statistics and A/B testing, hypothesis tests\n- Probability"


def kinds(questions):
    return {q.kind for q in questions}


def test_a_posting_asking_for_coding_skills_gets_coding_questions_in_its_plan(bank, user):
    posting = create_posting(user, CODING_POSTING)
    assert asks_for_coding(posting.skill_profile())
    plan = build_plan(posting, user, PlanOptions(questions=12), rng=random.Random(3))
    assert Question.Kind.CODING in kinds(plan.questions)
    assert kinds(plan.questions) - {Question.Kind.CODING}, "a plan still mixes in text questions"


def test_a_posting_that_asks_for_no_coding_gets_a_plan_without_it(bank, user):
    posting = create_posting(user, ANALYST_POSTING)
    assert not asks_for_coding(posting.skill_profile())
    assert Question.objects.filter(kind=Question.Kind.CODING, skills__slug="statistics").exists()
    for seed in range(3):
        plan = build_plan(posting, user, PlanOptions(questions=20), rng=random.Random(seed))
        assert plan.questions and Question.Kind.CODING not in kinds(plan.questions)


def test_practice_on_a_coding_skill_can_hand_out_coding_questions(bank, user):
    questions = choose_questions(user, {"pytorch": 1.0}, "mid", 10)
    assert Question.Kind.CODING in kinds(questions)


def test_a_team_can_find_coding_questions_and_put_them_in_a_set(bank, db):
    from tests.factories import OrganizationFactory

    question_set = QuestionSet.objects.create(title="Coding screen", organization=OrganizationFactory())
    found = list(builder.search_bank(question_set, kind="coding"))
    assert len(found) >= 40
    builder.add_question(question_set, found[0])
    assert question_set.items.get().question.kind == Question.Kind.CODING


def test_a_graded_code_answer_counts_towards_mastery(user, softmax_question):  # noqa: F811
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[softmax_question]))
    grade = GradeFactory(answer=AnswerFactory(session=session, text=NAIVE_SOFTMAX), status=Grade.Status.DONE, score=5.0)
    grade.count()  # as the grading attempt does when it finishes
    mastery = mastery_by_skill(user)
    assert {s.slug for s in softmax_question.skills.all()} <= mastery.keys()
    assert all(mastery[s.slug].answers == 1 for s in softmax_question.skills.all())


@needs_sandbox
@pytest.mark.django_db(transaction=True)
def test_the_transcript_shows_the_code_and_its_per_case_results(world, client, softmax_question):  # noqa: F811
    question_set = QuestionSet.objects.create(title="Coding screen", organization=world.org1)
    builder.add_question(question_set, softmax_question)
    invite = assessments.invite_candidates(question_set, world.candidate_b.email, world.manager1, "http://testserver")[
        0
    ]
    session = assessments.start(invite.token, world.candidate_b)
    submission = submit_answer(session, softmax_question, NAIVE_SOFTMAX, 75)
    assert run_grade(submission.grade.pk) == "done"

    login(client, world.manager1)
    page = client.get(reverse("transcript", args=[session.pk])).content.decode()
    assert '<pre class="code-answer" data-testid="code-answer"><code>' in page
    assert "e = np.exp(x)" in page and "(75 s," in page
    assert page.count('data-testid="code-case"') == 5
    assert "huge-logits" in page and "hidden · 0/2 points" in page and "visible · 1/1 point" in page
    assert "3.3" in page  # 4 of 6 points: partial credit on the 0-5 scale


def test_coding_questions_come_after_the_other_technical_questions(bank, user):
    posting = create_posting(user, CODING_POSTING)
    order = [q.kind for q in build_plan(posting, user, PlanOptions(questions=12), rng=random.Random(3)).questions]
    technical = [k for k in order if k != Question.Kind.BEHAVIOURAL]
    first_code = technical.index(Question.Kind.CODING)
    assert all(k == Question.Kind.CODING for k in technical[first_code:]), order
