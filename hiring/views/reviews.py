"""Reviewers' pages: override an automatic grade, and the review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hiring.forms import ReviewForm
from hiring.services import results, reviews
from hiring.services.reviews import ReviewError
from hiring.views.access import get_allowed, organization_allowed
from interviews.models import Answer, InterviewSession

ANSWERS = Answer.objects.filter(session__mode=InterviewSession.Mode.ASSESSMENT).select_related(
    "session__candidate", "session__question_set__organization", "question", "question_version"
)


@login_required
@require_http_methods(["GET", "POST"])
def answer_review(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_allowed(request, ANSWERS, "hiring.review_answer", pk=pk)
    result = results.result_of(answer)
    form = ReviewForm(request.POST or None, criteria=reviews.criteria_for_review(result))
    if request.method == "POST" and form.is_valid():
        try:
            reviews.save_review(result, request.user, form.points(), form.cleaned_data["comment"])  # type: ignore[arg-type]
        except ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Override saved beside the automatic grade.")
            if request.POST.get("from") == "queue":
                return redirect("review_queue", slug=answer.session.question_set.organization.slug)  # type: ignore[union-attr]
            return redirect("transcript", pk=answer.session_id)
    return render(
        request,
        "hiring/answer_review.html",
        {"answer": answer, "result": result, "form": form, "history": answer.reviews.select_related("reviewer")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_allowed(request, slug, "hiring.view_results")
    return render(
        request,
        "hiring/review_queue.html",
        {
            "organization": organization,
            "queue": reviews.review_queue(organization),
            "disagreements": reviews.largest_disagreements(organization),
        },
    )
