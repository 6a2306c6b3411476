"""Nobody is let in before proving their address, and sign-up never says an address is taken."""

import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

VERIFICATION_SENT = reverse("account_email_verification_sent")


def sign_up(client: Client, email: str, **extra: bool):
    form = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), form, **extra)


def confirmation_path(message) -> str:
    return re.search(r"/accounts/confirm-email/[-:\w]+/", message.body).group(0)


@pytest.mark.django_db
def test_signing_up_sends_a_confirmation_and_lets_the_user_in_only_once_confirmed(client, mailoutbox):
    response = sign_up(client, "new@example.com")
    assert response.status_code == 302 and response["Location"] == VERIFICATION_SENT
    assert "_auth_user_id" not in client.session
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@example.com"]

    confirmed = client.post(confirmation_path(mailoutbox[0]))
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert client.get(reverse("home")).context["user"].email == "new@example.com"


def _comparable(content: bytes, address: str) -> str:
    """The page with the typed address and the per-session CSRF token blanked out."""
    page = content.decode().replace(address, "x@")
    return re.sub(r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', r"\1", page)


@pytest.mark.django_db
def test_signing_up_with_a_registered_address_looks_like_any_other_sign_up(mailoutbox):
    UserFactory(email="taken@example.com")
    taken = sign_up(Client(), "taken@example.com", follow=True)
    fresh = sign_up(Client(), "fresh@example.com", follow=True)
    assert taken.redirect_chain == fresh.redirect_chain == [(VERIFICATION_SENT, 302)]
    assert "already" not in taken.content.decode().lower()
    assert _comparable(taken.content, "taken@") == _comparable(fresh.content, "fresh@")
    assert User.objects.filter(email="taken@example.com").count() == 1
    # The owner hears about it by email; whoever typed the address learns nothing.
    owner_mail = next(m for m in mailoutbox if m.to == ["taken@example.com"])
    assert "Account Already Exists" in owner_mail.subject


@pytest.mark.django_db
def test_an_unverified_user_logging_in_is_sent_to_confirm_their_address(client, mailoutbox):
    user = UserFactory(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == VERIFICATION_SENT
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]


@pytest.mark.django_db
def test_the_demo_accounts_log_in_without_a_confirmation(mailoutbox):
    call_command("seed_demo")
    for email, *_ in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse("home"), email
    assert not mailoutbox


@pytest.mark.django_db
def test_accounts_made_before_verification_keep_working_after_the_migration():
    migration = importlib.import_module("accounts.migrations.0002_verify_existing_email_addresses")
    signed_up = UserFactory(email="early@example.com", verified=False)
    from_admin = User.objects.create_superuser(email="root@example.com", password=PASSWORD)  # no address row
    owner = UserFactory(email="owner@example.com")
    EmailAddress.objects.create(user=owner, email="shared@example.com", verified=True)
    other = UserFactory(email="shared@example.com", verified=False)  # the owner proved it first

    migration.verify_existing_addresses(apps, None)
    migration.verify_existing_addresses(apps, None)  # safe to run twice

    assert EmailAddress.objects.get(user=signed_up).verified
    root = EmailAddress.objects.get(user=from_admin)
    assert root.email == "root@example.com" and root.verified and root.primary
    assert not EmailAddress.objects.get(user=other).verified
