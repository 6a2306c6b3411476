"""The candidate's progress page and free practice."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from interviews.forms import PracticeForm
from interviews.models import Answer, Grade, InterviewSession, Posting, ReviewSchedule
from interviews.planning.plan import choose_questions, start_practice
from interviews.progress.mastery import mastery_by_skill, readiness_for, score_history, streak
from interviews.views.candidate import AuthedRequest


@login_required
@require_GET
def progress(request: AuthedRequest) -> HttpResponse:
    mastery = mastery_by_skill(request.user)
    history = score_history(request.user)
    postings = list(Posting.objects.for_practice(request.user)[:10])
    recent = (
        Answer.objects.filter(session__candidate=request.user, session__mode=InterviewSession.Mode.PRACTICE)
        .select_related("question")
        .prefetch_related(Prefetch("grades", queryset=Grade.objects.order_by("pk")))
        .order_by("-submitted_at")[:10]
    )
    skills = sorted(mastery.values(), key=lambda m: -m.mean)
    chart = {
        "history": {"days": [d.isoformat() for d, _, _ in history], "scores": [round(s, 2) for _, s, _ in history]},
        "mastery": {
            "skills": [m.name for m in skills],
            "mean": [round(100 * m.mean) for m in skills],
            "sd": [round(100 * m.sd) for m in skills],
        },
    }
    return render(
        request,
        "interviews/progress.html",
        {
            "mastery": skills,
            "readiness": readiness_for(postings, mastery),
            "chart": chart,
            "streak": streak(request.user),
            "graded": sum(n for _, _, n in history),
            "due": ReviewSchedule.objects.due().filter(user=request.user).select_related("question")[:20],
            "recent": recent,
            "practice_form": PracticeForm(),
        },
    )


@login_required
@require_POST
def practice_start(request: AuthedRequest) -> HttpResponse:
    """Free practice: pick a skill and a difficulty; feedback follows each answer."""
    form = PracticeForm(request.POST)
    if not form.is_valid():
        return render(request, "interviews/practice.html", {"practice_form": form}, status=400)
    skill = form.cleaned_data["skill"]
    questions = choose_questions(
        request.user, {skill.slug: 1.0}, "mid", form.cleaned_data["questions"], form.cleaned_data["difficulty"]
    )
    session = start_practice(request.user, f"Practice: {skill.name}", questions)
    return redirect("interview_detail", pk=session.pk)
