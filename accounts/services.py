from functools import partial

from django.db import transaction

from accounts import audit, invitations
from accounts.invitations import InvitationError
from accounts.models import Invitation, Membership, Organization, User


def invite(organization: Organization, email: str, role: str, invited_by: User, base_url: str) -> Invitation:
    """Create an invitation and email its single-use link once the row is committed."""
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email=email).exists():
        raise InvitationError(f"{email} is already a member of {organization}.")
    with transaction.atomic():
        invitation = Invitation.objects.create(organization=organization, email=email, role=role, invited_by=invited_by)
        audit.record(
            organization,
            invited_by,
            audit.Action.INVITATION_SENT,
            invitation,
            after={"role": role},
            label=email,
        )
        invitations.email_on_commit(invitation, base_url)
    return invitation


@transaction.atomic
def resend(invitation: Invitation, base_url: str, user: User) -> None:
    """Email the link again (after a failed send, or for an invitee who lost it)."""
    invitations.resend(invitation, base_url)
    audit.record(invitation.organization, user, audit.Action.INVITATION_RESENT, invitation, label=invitation.email)


def accept(token: str, user: User) -> Membership:
    """Join the invitation's organisation with its role; raises InvitationError if it cannot."""
    return invitations.accept(Invitation, token, user, partial(_join, user))


def _join(user: User, invitation: Invitation) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    if created:  # one event for the click: the membership it made, naming the invitation it used
        audit.record(
            invitation.organization,
            user,
            audit.Action.MEMBERSHIP_ADDED,
            membership,
            after={"user": user.email, "role": membership.role, "invitation": invitation.pk},
            label=user.email,
        )
    else:  # a member already (added meanwhile by staff): the invitation is still used up
        audit.record(
            invitation.organization, user, audit.Action.INVITATION_ACCEPTED, invitation, label=invitation.email
        )
    return membership
