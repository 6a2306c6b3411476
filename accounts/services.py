from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accounts import invitations
from accounts.invitations import InvitationError
from accounts.models import Invitation, Membership, Organization, User


def invite(organization: Organization, email: str, role: str, invited_by: User, base_url: str) -> Invitation:
    """Create an invitation and email its single-use link once the row is committed."""
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email=email).exists():
        raise InvitationError(f"{email} is already a member of {organization}.")
    with transaction.atomic():
        invitation = Invitation.objects.create(organization=organization, email=email, role=role, invited_by=invited_by)
        link = base_url + reverse("accept_invitation", args=[invitation.token])
        transaction.on_commit(partial(_send, invitation, link))
    return invitation


def _send(invitation: Invitation, link: str) -> None:
    organization = invitation.organization
    send_mail(
        f"Join {organization} on Backprop",
        f"{invitation.invited_by} invited you to {organization} as {invitation.get_role_display()}.\n\n"
        f"Accept within 7 days: {link}\n",
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


def accept(token: str, user: User) -> Membership:
    """Join the invitation's organisation with its role; raises InvitationError if it cannot."""
    return invitations.accept(Invitation, token, user, partial(_join, user))


def _join(user: User, invitation: Invitation) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    return membership
