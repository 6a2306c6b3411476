"""The one invitation flow, shared by teammate invitations (accounts.Invitation) and candidate
assessment invitations (hiring.AssessmentInvite), both `BaseInvitation`s.

`accept` is the service: lock the row, check the link and the person, run what accepting
gives (a membership, an attempt), mark the invitation accepted. `invitation_page` is the view
both links land on: GET shows it, POST accepts it."""

from collections.abc import Callable
from smtplib import SMTPException
from typing import Any, TypeVar

from allauth.account.adapter import get_adapter
from allauth.account.utils import has_verified_email
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import BaseInvitation, User

I = TypeVar("I", bound=BaseInvitation)  # noqa: E741
R = TypeVar("R")


class InvitationError(ValueError):
    """The invitation cannot be made or used; the message is shown to the user."""


# What a failed send raises: the SMTP conversation, or the connection to the mail server.
SEND_ERRORS = (SMTPException, OSError)


def email_on_commit(invitation: BaseInvitation, base_url: str) -> None:
    """Email the invitation's link from a worker once the row is committed (and again on
    "Resend"): the request never waits on, or fails with, the mail server."""
    from accounts.tasks import send_invitation_email

    link = base_url + reverse(invitation.LINK_URL_NAME, args=[invitation.token])
    send_invitation_email.delay_on_commit(invitation._meta.label, invitation.pk, link)


def resend(invitation: BaseInvitation, base_url: str) -> None:
    if not invitation.can_resend():
        raise InvitationError(f"The link for {invitation.email} was already used or expired; invite them again.")
    invitation._meta.model._default_manager.filter(pk=invitation.pk).update(send_error="")
    email_on_commit(invitation, base_url)


def send_email(label: str, pk: int, link: str) -> bool:
    """Send one invitation's email and record the outcome on the row; re-raises a send
    failure (after recording it) so the task retries. False if the link is no longer usable."""
    model: type[BaseInvitation] = apps.get_model(label)  # type: ignore[assignment]
    invitation = model._default_manager.filter(pk=pk).first()
    if invitation is None or not invitation.can_resend():
        return False  # revoked, expired or accepted meanwhile: nothing to send
    subject, body = invitation.email_message(link)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except SEND_ERRORS as error:
        message = f"{type(error).__name__}: {error}"[:500]
        model._default_manager.filter(pk=pk).update(send_error=message, sent_at=None)
        raise
    model._default_manager.filter(pk=pk).update(sent_at=timezone.now(), send_error="")
    return True


def refusal(invitation: BaseInvitation, user: User) -> str | None:
    """Why `user` may not use this invitation, or None when they may."""
    noun, action = invitation.NOUN, invitation.ACTION
    if invitation.email != user.email.lower():
        return f"This {noun} is for {invitation.email}; log in with that address to {action} it."
    if not has_verified_email(user, invitation.email):
        # Anyone can register any address; only a confirmed one stands for its owner.
        return (
            f"Confirm {invitation.email} before you {action} it: open the link in the confirmation email we sent to it."
        )
    return None


@transaction.atomic
def accept(model: type[I], token: str, user: User, fulfil: Callable[[I], R]) -> R:
    """Use the invitation behind `token` as `user`: `fulfil(invitation)` runs in the same
    transaction as the checks, with the row locked, so two clicks cannot both use it."""
    invitation = model._default_manager.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        raise InvitationError(
            f"This {model.NOUN} link is invalid, expired or already used. Ask the team that sent it for a new one."
        )
    reason = refusal(invitation, user)
    if reason is not None:
        raise InvitationError(reason)
    result = fulfil(invitation)
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return result


def invitation_page(
    request: HttpRequest,
    invitations: QuerySet[I],
    token: str,
    template: str,
    on_accept: Callable[[I, User], HttpResponse],
    extra_context: Callable[[I], dict[str, Any]] = lambda invitation: {},
) -> HttpResponse:
    """The page behind an invitation link. `on_accept` accepts (through `accept`) and returns
    where to go next; an `InvitationError` it raises is shown on the page again."""
    invitation = invitations.filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        return render(request, template, {"invalid": True}, status=404)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST" and user is not None:
        try:
            return on_accept(invitation, user)  # type: ignore[arg-type]
        except InvitationError as exc:
            messages.error(request, str(exc))
    if user is None:
        # Holding the link proves the invited address: signing up with it needs no second email.
        get_adapter(request).stash_verified_email(request, invitation.email)
    wrong_account = user is not None and user.email.lower() != invitation.email
    context = {
        "invitation": invitation,
        "wrong_account": wrong_account,
        "unverified": user is not None and not wrong_account and not has_verified_email(user, invitation.email),
        **extra_context(invitation),
    }
    return render(request, template, context)
