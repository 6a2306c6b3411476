from allauth.account.utils import has_verified_email
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, User


class InvitationError(ValueError):
    """The invitation cannot be used; the message is shown to the user."""


def invite(organization: Organization, email: str, role: str, invited_by: User, base_url: str) -> Invitation:
    """Create an invitation and email its single-use link once the row is committed."""
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email=email).exists():
        raise InvitationError(f"{email} is already a member of {organization}.")
    with transaction.atomic():
        invitation = Invitation.objects.create(organization=organization, email=email, role=role, invited_by=invited_by)
        link = base_url + reverse("accept_invitation", args=[invitation.token])
        transaction.on_commit(
            lambda: send_mail(
                f"Join {organization} on Backprop",
                f"{invited_by} invited you to {organization} as {invitation.get_role_display()}.\n\n"
                f"Accept within 7 days: {link}\n",
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
        )
    return invitation


@transaction.atomic
def accept(token: str, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        raise InvitationError("This invitation link is invalid, expired or already used.")
    if invitation.email != user.email.lower():
        raise InvitationError(f"This invitation is for {invitation.email}; log in with that address to accept it.")
    if not has_verified_email(user, invitation.email):
        # Anyone can register any address; only a confirmed one stands for its owner.
        raise InvitationError(
            f"Confirm {invitation.email} before accepting: open the link in the confirmation email we sent to it."
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership
