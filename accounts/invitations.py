"""The one invitation flow, shared by teammate invitations (accounts.Invitation) and candidate
assessment invitations (hiring.AssessmentInvite), both `BaseInvitation`s.

`accept` is the service: lock the row, check the link and the person, run what accepting
gives (a membership, an attempt), mark the invitation accepted. `invitation_page` is the view
both links land on: GET shows it, POST accepts it."""

from collections.abc import Callable
from typing import Any, TypeVar

from allauth.account.adapter import get_adapter
from allauth.account.utils import has_verified_email
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import BaseInvitation, User

I = TypeVar("I", bound=BaseInvitation)  # noqa: E741
R = TypeVar("R")


class InvitationError(ValueError):
    """The invitation cannot be made or used; the message is shown to the user."""


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
