"""Results of a set, its CSV, bulk regrades of outdated grades, and transcripts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HTMX_STOP_POLLING

from hiring.services import results
from hiring.services.agreement import agreement_for
from hiring.views.access import get_allowed, url_by_pk
from hiring.views.sets import SETS
from interviews.models import InterviewSession
from interviews.views.candidate import HtmxHttpRequest

RESULTS_PER_PAGE = 50


@login_required
@require_GET
@vary_on_headers("HX-Request")
def set_results(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The results table; htmx asks again for just the rows while grades are pending."""
    question_set = get_allowed(request, SETS, "hiring.view_results", pk=pk)
    page = Paginator(results.invitations(question_set), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = results.attempts(question_set, page.object_list)
    skills = sorted({name for row in rows for name in row.by_skill})
    transcript_url = url_by_pk("transcript")
    for row in rows:  # one cell per skill column, in column order
        row.skill_cells = row.skill_percents(skills)  # type: ignore[attr-defined]
        row.transcript_url = transcript_url(row.session.pk) if row.session else ""  # type: ignore[attr-defined]
    context: dict[str, object] = {
        "set": question_set,
        "organization": question_set.organization,
        "rows": rows,
        "page": page,
        "skills": skills,
        "pending": sum(row.pending for row in rows),
        "can_manage": request.user.has_perm("hiring.manage_sets", question_set),
    }
    if request.htmx:
        response = render(request, "hiring/set_results.html#rows", context)
        if not context["pending"]:
            response.status_code = HTMX_STOP_POLLING  # the rows are final: htmx swaps them in and stops asking
    else:
        context["outdated"] = results.count_outdated(question_set)
        response = render(request, "hiring/set_results.html", context)
    return response


@login_required
@require_GET
@vary_on_headers("HX-Request")
def set_agreement(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """How the automatic grades compare with the reviewers' scores: the results page's last
    section, which asks for it when scrolled to (a page of its own without JavaScript)."""
    question_set = get_allowed(request, SETS, "hiring.view_results", pk=pk)
    context = {"set": question_set, "organization": question_set.organization, "agreement": agreement_for(question_set)}
    template = "hiring/set_agreement.html#figures" if request.htmx else "hiring/set_agreement.html"
    return render(request, template, context)


@login_required
@require_GET
def set_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = get_allowed(request, SETS, "hiring.view_results", pk=pk)
    response = HttpResponse(results.results_csv(question_set), content_type="text/csv; charset=utf-8")
    filename = f"{slugify(question_set.title)[:60] or 'results'}-results.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def set_regrade_outdated(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = get_allowed(request, SETS, "hiring.manage_sets", pk=pk)
    count = results.regrade_outdated(question_set, request.user)  # type: ignore[arg-type]
    messages.success(request, f"Queued {count} regrade(s) against the current rubrics; earlier grades stay as history.")
    return redirect("set_results", pk=pk)


SESSIONS = InterviewSession.objects.filter(mode=InterviewSession.Mode.ASSESSMENT).select_related(
    "candidate", "question_set__organization", "question_set__template"
)


@login_required
@require_GET
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_allowed(request, SESSIONS, "hiring.view_results", pk=pk)
    return render(
        request,
        "hiring/transcript.html",
        {
            "session": session,
            "entries": results.transcript(session),
            "template_set": session.question_set.template,
            "can_override": request.user.has_perm("hiring.override_score", session),
        },
    )
