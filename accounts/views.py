"""Organisation pages: members, invitations, accepting an invitation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit
from accounts.forms import InviteForm
from accounts.invitations import InvitationError, invitation_page
from accounts.models import AuditEvent, Invitation, Organization, User
from accounts.services import accept, invite, resend


def _organization_for(request: HttpRequest, slug: str, perm: str) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm(perm, organization):
        raise Http404  # not 403: do not confirm that the organisation exists
    return organization


@login_required
def organization_detail(request: HttpRequest, slug: str, form: InviteForm | None = None) -> HttpResponse:
    organization = _organization_for(request, slug, "accounts.view_organization")
    can_invite = request.user.has_perm("accounts.invite_member", organization)
    return render(
        request,
        "accounts/organization.html",
        {
            "organization": organization,
            "memberships": organization.memberships.select_related("user").order_by("role", "user__email"),
            "pending": organization.invitations.filter(accepted_at=None).order_by("-created_at") if can_invite else [],
            "can_invite": can_invite,
            "can_audit": request.user.has_perm("accounts.view_audit_log", organization),
            "form": form or InviteForm(),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def organization_invite(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization_for(request, slug, "accounts.invite_member")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = invite(
                organization,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                request.user,  # type: ignore[arg-type]
                request.build_absolute_uri("/").rstrip("/"),
            )
        except InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("organization_detail", slug=organization.slug)
    return organization_detail(request, slug, form=form)


@login_required
@require_POST
def organization_invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _organization_for(request, slug, "accounts.invite_member")
    invitation = get_object_or_404(organization.invitations, pk=pk)
    try:
        resend(invitation, request.build_absolute_uri("/").rstrip("/"), request.user)  # type: ignore[arg-type]
    except InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sending the invitation to {invitation.email} again.")
    return redirect("organization_detail", slug=organization.slug)


@login_required
@require_GET
def organization_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """The owners' log of who changed what, newest first; "after" is the keyset cursor."""
    organization = _organization_for(request, slug, "accounts.view_audit_log")
    action = request.GET.get("action", "")
    if action not in AuditEvent.Action.values:
        action = ""
    page = audit.page_of(organization, action=action, after=request.GET.get("after", ""))
    return render(
        request,
        "accounts/audit.html",
        {
            "organization": organization,
            "page": page,
            "action": action,
            "actions": AuditEvent.Action.choices,
            "first_page": not request.GET.get("after"),
        },
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    def join(invitation: Invitation, user: User) -> HttpResponse:
        membership = accept(invitation.token, user)
        messages.success(request, f"You joined {membership.organization} as {membership.get_role_display()}.")
        return redirect("organization_detail", slug=membership.organization.slug)

    return invitation_page(
        request, Invitation.objects.select_related("organization"), token, "accounts/invitation.html", join
    )
