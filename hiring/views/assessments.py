"""Inviting candidates, the candidate's landing page behind the link, and the browser's
paste/focus reports during an attempt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.invitations import InvitationError, invitation_page
from accounts.models import User
from hiring.forms import InviteCandidatesForm
from hiring.models import AssessmentInvite
from hiring.services import assessments
from hiring.services.assessments import AssessmentError
from hiring.views.access import get_allowed
from hiring.views.sets import SETS, _detail_context
from interviews.models import InterviewSession, Question


@login_required
@require_POST
def set_invite(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = get_allowed(request, SETS, "hiring.manage_sets", pk=pk)
    form = InviteCandidatesForm(request.POST)
    if form.is_valid():
        try:
            invites = assessments.invite_candidates(
                question_set,
                form.cleaned_data["emails"],
                request.user,  # type: ignore[arg-type]
                request.build_absolute_uri("/").rstrip("/"),
            )
        except AssessmentError as exc:
            form.add_error("emails", str(exc))
        else:
            messages.success(request, f"Sent {len(invites)} invitation(s): " + ", ".join(i.email for i in invites))
            return redirect("set_results", pk=pk)
    context = _detail_context(request, question_set, invite_form=form)
    return render(request, "hiring/set_detail.html", context, status=400)


@login_required
@require_POST
def invite_revoke(request: HttpRequest, pk: int, invite_pk: int) -> HttpResponse:
    question_set = get_allowed(request, SETS, "hiring.manage_sets", pk=pk)
    invite = get_object_or_404(question_set.invites, pk=invite_pk)
    if assessments.revoke(invite, request.user):  # type: ignore[arg-type]
        messages.success(request, f"The link for {invite.email} no longer works.")
    else:
        messages.error(request, f"{invite.email}'s link was already used or expired.")
    return redirect("set_results", pk=pk)


@login_required
@require_POST
def invite_resend(request: HttpRequest, pk: int, invite_pk: int) -> HttpResponse:
    question_set = get_allowed(request, SETS, "hiring.manage_sets", pk=pk)
    invite = get_object_or_404(question_set.invites, pk=invite_pk)
    try:
        assessments.resend(invite, request.build_absolute_uri("/").rstrip("/"), request.user)  # type: ignore[arg-type]
    except InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sending the link to {invite.email} again.")
    return redirect("set_results", pk=pk)


@require_http_methods(["GET", "POST"])
def assessment_invite(request: HttpRequest, token: str) -> HttpResponse:
    def start(invite: AssessmentInvite, user: User) -> HttpResponse:
        session = assessments.start(invite.token, user)
        return redirect("interview_detail", pk=session.pk)

    return invitation_page(
        request,
        AssessmentInvite.objects.select_related("question_set__organization", "session"),
        token,
        "hiring/assessment_invite.html",
        start,
        lambda invite: {"set": invite.question_set, "questions": invite.question_set.items.count()},
    )


@login_required
@require_POST
def assessment_event(request: HttpRequest, pk: int) -> HttpResponse:
    """A paste or focus change reported by the candidate's browser (sendBeacon)."""
    session = get_object_or_404(InterviewSession, pk=pk, candidate=request.user)
    raw_question, raw_chars = request.POST.get("question", ""), request.POST.get("chars", "")
    question = Question.objects.filter(pk=int(raw_question)).first() if raw_question.isdecimal() else None
    if question is not None and not session.question_set.items.filter(question=question).exists():
        question = None
    recorded = assessments.record_event(
        session, request.POST.get("kind", ""), question, int(raw_chars) if raw_chars.isdecimal() else None
    )
    return HttpResponse(status=204 if recorded else 400)
