import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, User
from accounts.services import InvitationError, accept
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory


def login(client, user):
    client.login(email=user.email, password=PASSWORD)
    return client


def sign_up(client, email, next_path=""):
    form = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "next": next_path}
    return client.post(reverse("account_signup"), form)


def confirm(client, message):
    """Follow the confirmation link allauth emailed, as its recipient would."""
    return client.post(re.search(r"/accounts/confirm-email/[-:\w]+/", message.body).group(0))


@pytest.fixture
def org(db):
    return OrganizationFactory()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "can_view", "can_invite"),
    [
        (None, False, False),
        ("reviewer", True, False),
        ("manager", True, True),
        ("owner", True, True),
        ("staff", True, True),
    ],
)
def test_who_may_see_an_organisation_and_invite(
    client, org, role, can_view, can_invite, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(is_staff=role == "staff")
    if role in {"reviewer", "manager", "owner"}:
        MembershipFactory(user=user, organization=org, role=role)
    login(client, user)
    page = client.get(reverse("organization_detail", args=[org.slug]))
    assert page.status_code == (200 if can_view else 404)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organization_invite", args=[org.slug]), {"email": "new@example.com", "role": "reviewer"}
        )
    assert (response.status_code == 302) == can_invite
    assert Invitation.objects.filter(email="new@example.com").exists() == can_invite
    assert len(mailoutbox) == (1 if can_invite else 0)


@pytest.mark.django_db
def test_an_invited_teammate_signs_up_through_the_link_and_joins_with_the_role(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    manager = MembershipFactory(organization=org, role="manager").user
    login(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organization_invite", args=[org.slug]), {"email": "Ada@Example.com", "role": "reviewer"})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line).split("days: ")[1]
    path = link.split("testserver")[1]
    client.logout()
    assert "Create an account" in client.get(path).content.decode()
    signup = sign_up(client, "ada@example.com", next_path=path)
    # The link proved the address: verified at once, straight back to the invitation, no second email.
    assert signup["Location"] == path
    address = EmailAddress.objects.get(email="ada@example.com")
    assert address.verified and address.primary
    assert len(mailoutbox) == 1
    client.post(path)
    membership = Membership.objects.get(organization=org, user__email="ada@example.com")
    assert membership.role == "reviewer"
    assert client.get(path).status_code == 404  # single use


@pytest.mark.django_db
def test_an_address_registered_without_the_link_cannot_accept_until_confirmed(client, org, mailoutbox):
    invitation = Invitation.objects.create(organization=org, email="ada@example.com", role="manager")
    path = reverse("accept_invitation", args=[invitation.token])
    # Someone registers the invited address without the link: not even logged in.
    signup = sign_up(client, "ada@example.com")
    assert signup["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    # Logged in by some other way (say the admin's login page), the invitation still refuses.
    squatter = User.objects.get(email="ada@example.com")
    client.force_login(squatter)
    assert "Confirm ada@example.com first" in client.get(path).content.decode()
    refused = client.post(path, follow=True)
    assert "Confirm ada@example.com before you accept it" in refused.content.decode()
    with pytest.raises(InvitationError, match="Confirm"):
        accept(invitation.token, squatter)
    assert not Membership.objects.filter(user=squatter).exists()
    # Whoever reads ada@example.com's mail confirms it; then the invitation works.
    confirm(client, mailoutbox[-1])
    client.post(path)
    assert Membership.objects.get(user=squatter, organization=org).role == "manager"


@pytest.mark.django_db
def test_signing_up_through_the_link_with_another_address_needs_its_own_confirmation(client, org, mailoutbox):
    invitation = Invitation.objects.create(organization=org, email="ada@example.com", role="manager")
    path = reverse("accept_invitation", args=[invitation.token])
    client.get(path)
    signup = sign_up(client, "eve@example.com", next_path=path)
    assert signup["Location"] == reverse("account_email_verification_sent")
    eve = User.objects.get(email="eve@example.com")
    # The invited address is not handed to an account registered under another one.
    assert list(EmailAddress.objects.filter(user=eve).values_list("email", "verified")) == [("eve@example.com", False)]
    assert mailoutbox[-1].to == ["eve@example.com"]
    confirm(client, mailoutbox[-1])
    refused = client.post(path, follow=True)
    assert "log in with that address" in refused.content.decode()
    assert not Membership.objects.filter(user=eve).exists()


@pytest.mark.django_db
def test_an_invitation_is_refused_when_expired_or_for_another_address(client, org):
    invitation = Invitation.objects.create(organization=org, email="ada@example.com", role="manager")
    stranger = UserFactory(email="eve@example.com")
    login(client, stranger)
    response = client.post(reverse("accept_invitation", args=[invitation.token]), follow=True)
    assert "log in with that address" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("accept_invitation", args=[invitation.token])).status_code == 404
    assert client.get(reverse("accept_invitation", args=["not-a-token"])).status_code == 404
    assert len(invitation.token) >= 40


@pytest.mark.django_db
def test_inviting_an_existing_member_says_so(client, org):
    manager = MembershipFactory(organization=org, role="owner").user
    member = MembershipFactory(organization=org, role="reviewer").user
    login(client, manager)
    response = client.post(reverse("organization_invite", args=[org.slug]), {"email": member.email, "role": "manager"})
    assert response.status_code == 400 and "already a member" in response.content.decode()
