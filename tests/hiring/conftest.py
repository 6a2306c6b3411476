"""A small world for the hiring pages: two teams, their members, two candidates, staff,
and one assessment that candidate A has started and answered (graded offline)."""

from dataclasses import dataclass

import pytest

from accounts.models import Membership, Organization, User
from hiring.services import assessments, builder
from interviews.grading.service import run_grade, submit_answer
from interviews.models import Answer, InterviewSession, QuestionSet
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, QuestionFactory, UserFactory


def login(client, user):
    if user is not None:
        assert client.login(email=user.email, password=PASSWORD)
    return client


@dataclass
class World:
    org1: Organization
    org2: Organization
    manager1: User
    reviewer1: User
    manager2: User
    candidate_a: User
    candidate_b: User
    staff: User
    team_set: QuestionSet
    other_set: QuestionSet
    session_a: InterviewSession
    answer_a: Answer
    practice_b: InterviewSession


def _team_set(organization: Organization, title: str) -> QuestionSet:
    question_set = QuestionSet.objects.create(title=title, organization=organization, time_limit_minutes=30)
    for question in [QuestionFactory(), QuestionFactory(prompt="What does dropout do at inference time?")]:
        builder.add_question(question_set, question)
    return question_set


@pytest.fixture
def world(db, settings) -> World:
    settings.GRADER = "offline"
    org1, org2 = OrganizationFactory(slug="org-one"), OrganizationFactory(slug="org-two")
    manager1 = MembershipFactory(organization=org1, role=Membership.Role.MANAGER).user
    reviewer1 = MembershipFactory(organization=org1, role=Membership.Role.REVIEWER).user
    manager2 = MembershipFactory(organization=org2, role=Membership.Role.MANAGER).user
    candidate_a, candidate_b = UserFactory(email="a@example.com"), UserFactory(email="b@example.com")
    staff = UserFactory(is_staff=True)
    team_set, other_set = _team_set(org1, "Org 1 ML engineer"), _team_set(org2, "Org 2 data scientist")
    invite = assessments.invite_candidates(team_set, candidate_a.email, manager1, "http://testserver")[0]
    session_a = assessments.start(invite.token, candidate_a)
    first = session_a.ordered_questions()[0]
    submission = submit_answer(session_a, first, "Bias squared plus variance plus noise; regularise.", 60)
    run_grade(submission.grade.pk)
    practice_set = QuestionSet.objects.create(title="B's practice", owner=candidate_b)
    builder.QuestionSetItem.objects.create(question_set=practice_set, question=QuestionFactory(), order=0)
    practice_b = InterviewSession.objects.create(candidate=candidate_b, question_set=practice_set)
    return World(
        org1, org2, manager1, reviewer1, manager2, candidate_a, candidate_b, staff,
        team_set, other_set, session_a, submission.answer, practice_b,
    )  # fmt: skip
