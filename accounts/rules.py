"""Object-level permissions in one place (the `rules` package): who may do what in an
organisation. Views ask `user.has_perm("accounts.invite_member", organization)`."""

import rules

from accounts.models import Membership


@rules.predicate
def is_member(user, organization) -> bool:  # type: ignore[no-untyped-def]
    return organization is not None and Membership.objects.filter(user=user, organization=organization).exists()


@rules.predicate
def is_manager(user, organization) -> bool:  # type: ignore[no-untyped-def]
    roles = {Membership.Role.OWNER, Membership.Role.MANAGER}
    return (
        organization is not None
        and Membership.objects.filter(user=user, organization=organization, role__in=roles).exists()
    )


@rules.predicate
def is_owner(user, organization) -> bool:  # type: ignore[no-untyped-def]
    return (
        organization is not None
        and Membership.objects.filter(user=user, organization=organization, role=Membership.Role.OWNER).exists()
    )


is_staff = rules.is_staff

rules.add_perm("accounts.view_organization", is_member | is_staff)
rules.add_perm("accounts.invite_member", is_manager | is_staff)
# The audit log says who changed what in the whole team, reviewers and managers included.
rules.add_perm("accounts.view_audit_log", is_owner | is_staff)
