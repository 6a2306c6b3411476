"""Reviewers' pages: override an automatic grade, and the review queue."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from hiring.forms import OverrideForm
from hiring.services import overrides, results
from hiring.services.overrides import OverrideError
from hiring.views.access import get_allowed, organization_allowed, url_by_pk
from interviews.models import Answer, InterviewSession

ANSWERS = Answer.objects.filter(session__mode=InterviewSession.Mode.ASSESSMENT).select_related(
    "session__candidate", "session__question_set__organization", "question", "question_version"
)


@login_required
@require_http_methods(["GET", "POST"])
def answer_override(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_allowed(request, ANSWERS, "hiring.override_score", pk=pk)
    back = _local_url(request, request.POST.get("next") or request.GET.get("next", ""))
    result = results.result_of(answer)
    form = OverrideForm(request.POST or None, criteria=overrides.criteria_for_override(result))
    if request.method == "POST" and form.is_valid():
        try:
            overrides.save_override(result, request.user, form.points(), form.cleaned_data["comment"])  # type: ignore[arg-type]
        except OverrideError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Override saved beside the automatic grade.")
            return redirect(back or reverse("transcript", args=[answer.session_id]))
    organization = answer.session.question_set.organization  # type: ignore[union-attr]
    return render(
        request,
        "hiring/answer_override.html",
        {
            "answer": answer,
            "result": result,
            "form": form,
            "history": answer.overrides.select_related("reviewer"),
            "next": back,
            "queue_url": reverse("review_queue", args=[organization.slug]),  # type: ignore[union-attr]
        },
        status=400 if request.method == "POST" else 200,
    )


def _local_url(request: HttpRequest, url: str) -> str:
    """`url` if it is a path on this site (where to go after saving), else ""."""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and safe else ""


@login_required
@require_GET
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_allowed(request, slug, "hiring.view_results")
    queue, disagreements = overrides.review_page(organization)
    # Each row's link, built here once for the page ({% url %} and |urlencode in every row
    # cost more than the rest of it): back to this page after saving.
    override_url, back = url_by_pk("answer_override"), f"?next={quote(request.path)}"
    for result in [*queue, *disagreements]:
        result.review_url = override_url(result.answer.pk) + back  # type: ignore[attr-defined]
    return render(
        request,
        "hiring/review_queue.html",
        {"organization": organization, "queue": queue, "disagreements": disagreements},
    )
