"""Invitation emails leave the request (issue 13 item 3): a Celery task sends them after
commit with retries; a mail server that refuses never turns the saved invitation into a 500,
the manager sees the failure on the team or set page, and "Resend" sends it again."""

import pytest
from django.urls import reverse

from accounts.models import Invitation
from hiring.models import AssessmentInvite
from tests.factories import MembershipFactory, OrganizationFactory
from tests.hiring.conftest import login

FAILING = "tests.email_backends.FailingSMTPBackend"


@pytest.mark.django_db
@pytest.mark.email_via_broker
def test_the_invitation_email_is_published_for_a_worker_not_sent_in_the_request(
    client, mailoutbox, published, django_capture_on_commit_callbacks
):
    org = OrganizationFactory()
    login(client, MembershipFactory(organization=org, role="manager").user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organization_invite", args=[org.slug]), {"email": "ada@example.com", "role": "reviewer"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert mailoutbox == []
    link = f"http://testserver/invitations/{invitation.token}/"
    assert published == [("accounts.tasks.send_invitation_email", ("accounts.Invitation", invitation.pk, link))]


@pytest.mark.django_db
def test_a_refused_teammate_invitation_is_saved_shown_and_resent(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    org = OrganizationFactory()
    login(client, MembershipFactory(organization=org, role="manager").user)
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organization_invite", args=[org.slug]), {"email": "ada@example.com", "role": "reviewer"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ada@example.com")
    assert invitation.sent_at is None and "relay refused" in invitation.send_error
    page = client.get(reverse("organization_detail", args=[org.slug])).content.decode()
    assert "The email could not be sent" in page and "relay refused" in page
    resend = reverse("organization_invitation_resend", args=[org.slug, invitation.pk])
    assert resend in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend).status_code == 302
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_error == ""
    assert [m.to for m in mailoutbox] == [["ada@example.com"]] and invitation.token in mailoutbox[0].body
    assert "could not be sent" not in client.get(reverse("organization_detail", args=[org.slug])).content.decode()


@pytest.mark.django_db
def test_a_refused_candidate_invitation_shows_on_the_set_page_and_is_resent(
    world, client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, world.manager1)
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("set_invite", args=[world.team_set.pk]), {"emails": "new1@example.com"})
    assert response.status_code == 302
    invite = AssessmentInvite.objects.get(email="new1@example.com")
    assert invite.sent_at is None and "relay refused" in invite.send_error
    page = client.get(reverse("set_results", args=[world.team_set.pk])).content.decode()
    assert "Email not sent" in page and "relay refused" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invite_resend", args=[world.team_set.pk, invite.pk]))
    invite.refresh_from_db()
    assert invite.sent_at is not None and not invite.send_failed
    assert len(mailoutbox) == 1 and f"/assessments/{invite.token}/" in mailoutbox[0].body


@pytest.mark.django_db
def test_a_revoked_link_is_not_resent(world, client, mailoutbox, django_capture_on_commit_callbacks):
    login(client, world.manager1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("set_invite", args=[world.team_set.pk]), {"emails": "new1@example.com"})
    invite = AssessmentInvite.objects.get(email="new1@example.com")
    client.post(reverse("invite_revoke", args=[world.team_set.pk, invite.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invite_resend", args=[world.team_set.pk, invite.pk]), follow=True)
    assert "already used or expired" in response.content.decode()
    assert len(mailoutbox) == 1  # only the first send
