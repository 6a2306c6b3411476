"""The one invitation flow (accounts/invitations.py), run for both kinds of invitation:
teammates joining an organisation and candidates starting an assessment."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import InvitationError
from accounts.models import BaseInvitation, Invitation, Membership
from accounts.services import accept
from hiring.models import AssessmentInvite
from hiring.services import assessments
from interviews.models import InterviewSession, QuestionSet, QuestionSetItem
from tests.factories import PASSWORD, OrganizationFactory, QuestionFactory, UserFactory


@dataclass
class Kind:
    url_name: str
    make: Any  # email -> a saved invitation of this kind
    use: Any  # (token, user) -> what accepting gives
    given: Any  # user -> what accepting gave that user, counted


def _teammate(email: str) -> Invitation:
    return Invitation.objects.create(organization=OrganizationFactory(), email=email, role="reviewer")


def _candidate(email: str) -> AssessmentInvite:
    question_set = QuestionSet.objects.create(title="Screen", organization=OrganizationFactory())
    QuestionSetItem.objects.create(question_set=question_set, question=QuestionFactory(), order=0)
    return AssessmentInvite.objects.create(question_set=question_set, email=email)


KINDS = {
    "teammate": Kind("accept_invitation", _teammate, accept, lambda user: Membership.objects.filter(user=user).count()),
    "candidate": Kind(
        "assessment_invite",
        _candidate,
        assessments.start,
        lambda user: InterviewSession.objects.filter(candidate=user).count(),
    ),
}


@pytest.fixture(params=list(KINDS))
def kind(request) -> Kind:
    return KINDS[request.param]


@pytest.mark.django_db
def test_both_kinds_are_one_model_with_one_token_and_expiry(kind):
    invitation = kind.make("ada@example.com")
    assert isinstance(invitation, BaseInvitation)
    assert len(invitation.token) >= 40
    assert invitation.expires_at == invitation.created_at + timedelta(days=7)
    assert invitation.is_usable() and not invitation.is_expired


@pytest.mark.django_db
def test_an_expired_link_is_refused_and_gives_nothing(kind, client):
    invitation = kind.make("ada@example.com")
    ada = UserFactory(email="ada@example.com")
    type(invitation).objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationError, match="invalid, expired or already used"):
        kind.use(invitation.token, ada)
    assert kind.given(ada) == 0
    client.login(email=ada.email, password=PASSWORD)
    url = reverse(kind.url_name, args=[invitation.token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert kind.given(ada) == 0


@pytest.mark.django_db
def test_the_wrong_user_is_refused_and_the_link_stays_usable_for_its_owner(kind, client):
    invitation = kind.make("ada@example.com")
    eve = UserFactory(email="eve@example.com")
    with pytest.raises(InvitationError, match=r"is for ada@example\.com; log in with that address"):
        kind.use(invitation.token, eve)
    client.login(email=eve.email, password=PASSWORD)
    page = client.get(reverse(kind.url_name, args=[invitation.token])).content.decode()
    assert "You are logged in as eve@example.com" in page
    assert kind.given(eve) == 0
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.is_usable()


@pytest.mark.django_db
def test_accepting_through_the_page_records_when(kind, client):
    invitation = kind.make("ada@example.com")
    ada = UserFactory(email="ada@example.com")
    client.login(email=ada.email, password=PASSWORD)
    response = client.post(reverse(kind.url_name, args=[invitation.token]))
    assert response.status_code == 302
    assert kind.given(ada) == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


@pytest.mark.django_db
def test_a_teammate_link_is_spent_once_accepted():
    invitation = _teammate("ada@example.com")
    ada = UserFactory(email="ada@example.com")
    accept(invitation.token, ada)
    with pytest.raises(InvitationError, match="already used"):
        accept(invitation.token, ada)
    invitation.refresh_from_db()
    assert not invitation.is_usable()


@pytest.mark.django_db
def test_an_assessment_link_reopens_its_attempt_for_its_candidate_only_even_after_expiry():
    invite = _candidate("ada@example.com")
    ada, eve = UserFactory(email="ada@example.com"), UserFactory(email="eve@example.com")
    session = assessments.start(invite.token, ada)
    AssessmentInvite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert assessments.start(invite.token, ada) == session  # the same attempt, not a second one
    assert InterviewSession.objects.filter(candidate=ada).count() == 1
    with pytest.raises(InvitationError, match=r"is for ada@example\.com"):
        assessments.start(invite.token, eve)
