"""A small world for the hiring pages: two teams, their members, two candidates, staff,
and one assessment that candidate A has started and answered (graded offline); and
`fixtures`, that world plus what the permission matrix and the fuzzing need."""

from dataclasses import dataclass

import pytest

from accounts.models import Invitation, Membership, Organization, User
from hiring.models import AssessmentInvite
from hiring.services import assessments, builder
from interviews.grading.service import run_grade, submit_answer
from interviews.models import Answer, InterviewSession, Posting, Question, QuestionSet, Requirement
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


@dataclass
class Fixtures:
    world: World
    posting_a: Posting
    proposal_to_approve: Question
    proposal_to_discard: Question
    team_invitation: Invitation
    bank_question: Question
    pending_invite: AssessmentInvite
    owner1: User

    @property
    def keep_item(self):
        return self.world.team_set.items.order_by("order").first()

    @property
    def drop_item(self):
        return self.world.team_set.items.order_by("order").last()


@pytest.fixture
def fixtures(world) -> Fixtures:
    posting_a = Posting.objects.create(owner=world.candidate_a, title="A's posting", raw_text="Python and PyTorch")
    posting = Posting.objects.create(owner=world.manager1, title="Team posting", raw_text="x")
    requirement = Requirement.objects.create(posting=posting, text="Triton kernels", order=0)
    world.team_set.posting = posting
    world.team_set.save()
    proposals = [
        QuestionFactory(
            status=Question.Status.PROPOSED, origin=Question.Origin.GENERATED, source_requirement=requirement
        )
        for _ in range(2)
    ]
    invitation = Invitation.objects.create(organization=world.org1, email="teammate@example.com")
    pending = AssessmentInvite.objects.create(question_set=world.team_set, email="pending@example.com")
    owner = MembershipFactory(organization=world.org1, role=Membership.Role.OWNER).user
    return Fixtures(world, posting_a, proposals[0], proposals[1], invitation, QuestionFactory(), pending, owner)
