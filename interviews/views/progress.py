"""The candidate's progress page and free practice."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from interviews.forms import PracticeForm
from interviews.models import Grade, Posting, RevisitSchedule, Skill
from interviews.planning.plan import choose_questions, start_practice
from interviews.progress.mastery import (
    mastery_by_skill,
    readiness_for,
    recent_practice_answers,
    score_history,
    skill_to_practise,
    streak,
)
from interviews.views.candidate import AuthedRequest

# A line through one or two days' averages is not a trend.
TREND_MIN_POINTS = 3


@login_required
@require_GET
def progress(request: AuthedRequest) -> HttpResponse:
    mastery = mastery_by_skill(request.user)
    history = score_history(request.user)
    postings = list(Posting.objects.for_practice(request.user)[:10])
    recent = (
        recent_practice_answers(request.user)
        .select_related("question")
        .prefetch_related(Prefetch("grades", queryset=Grade.objects.order_by("pk")))
        .order_by("-submitted_at")[:10]
    )
    skills = sorted(mastery.values(), key=lambda m: -m.mean)
    readiness = readiness_for(postings, mastery)
    trend = len(history) >= TREND_MIN_POINTS
    chart = {
        "history": {
            "days": [d.isoformat() for d, _, _ in history] if trend else [],
            "scores": [round(s, 2) for _, s, _ in history] if trend else [],
        },
        "mastery": {
            "skills": [m.name for m in skills],
            "mean": [round(100 * m.mean) for m in skills],
            # The mean ± one standard deviation, drawn as a range around the mean.
            "range": [[max(0, round(100 * (m.mean - m.sd))), min(100, round(100 * (m.mean + m.sd)))] for m in skills],
        },
    }
    suggested = skill_to_practise(readiness, mastery)
    practice_skill = Skill.objects.filter(slug=suggested[0]).first() if suggested else None
    return render(
        request,
        "interviews/progress.html",
        {
            "mastery": skills,
            "readiness": readiness,
            "chart": chart,
            "trend": trend,
            "streak": streak(request.user),
            "graded": sum(n for _, _, n in history),
            "to_revisit": RevisitSchedule.objects.due().filter(user=request.user).select_related("question")[:20],
            "recent": recent,
            "practice_form": PracticeForm(initial={"skill": practice_skill} if practice_skill else None),
            "practice_skill": practice_skill,
            "practice_reason": suggested[1] if suggested else "",
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
