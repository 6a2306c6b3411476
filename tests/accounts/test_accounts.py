import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Membership, User
from tests.factories import PASSWORD, MembershipFactory, UserFactory


@pytest.mark.django_db
def test_users_log_in_by_email_and_have_no_username():
    user = User.objects.create_user(email="Ada@Example.COM", password="x-very-long-pw")
    assert user.email == "ada@example.com"
    assert not hasattr(user, "username") or user.username is None
    assert User.USERNAME_FIELD == "email"


@pytest.mark.django_db
def test_create_superuser_is_staff():
    admin = User.objects.create_superuser(email="root@example.com", password="x-very-long-pw")
    assert admin.is_staff and admin.is_superuser


@pytest.mark.django_db
def test_a_user_has_one_membership_per_organization():
    membership = MembershipFactory(role=Membership.Role.REVIEWER)
    assert membership.organization.role_of(membership.user) == "reviewer"
    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, organization=membership.organization)


@pytest.mark.django_db
def test_login_and_logout(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_emails_a_link(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1
    assert user.email in mailoutbox[0].to
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.django_db
def test_seed_demo_creates_one_account_per_persona_idempotently(capsys):
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "candidate@demo.backprop.dev" in out
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"owner", "manager", "reviewer"}
    assert User.objects.count() == 4
