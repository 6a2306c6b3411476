"""Candidate pages: paste a posting, run a mock interview, read grades, see progress."""

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from interviews.execution.sandbox import SandboxUnavailable
from interviews.execution.visible import RunLimited, run_context, run_visible
from interviews.forms import AnswerForm, PlanForm, PostingForm
from interviews.grading.service import AnswerRejected, submit_answer
from interviews.models import Grade, InterviewSession, Posting, Question, RevisitSchedule
from interviews.planning.coverage import RequirementLinks, posting_requirements, profile_of, skill_names
from interviews.planning.plan import PlanOptions, build_plan, start_interview
from interviews.postings.services import create_posting
from interviews.postings.text import PostingTextError
from interviews.progress.mastery import next_best_practice, requirement_readiness
from interviews.progress.revisits import Rating, schedule_revisit

logger = logging.getLogger(__name__)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    """A request behind @login_required: the user is a real User."""

    user: User  # type: ignore[assignment]


def home(request: HtmxHttpRequest) -> HttpResponse:
    """Each role lands on its work: team members on their teams' sets, results and review
    queue (their own practice is one link away), everyone else on the practice dashboard."""
    if not request.user.is_authenticated:
        return render(request, "interviews/landing.html")
    if request.user.memberships.exists():
        return redirect("team_home")
    return dashboard(request)  # type: ignore[arg-type]  # signed in: a User


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The candidate's practice: postings, next best practice, recent interviews."""
    postings = list(Posting.objects.for_practice(request.user)[:20])
    next_step = next_best_practice(request.user, postings)
    return render(
        request,
        "interviews/home.html",
        {
            "form": PostingForm(),
            "next_step": next_step,
            "revisits_due": RevisitSchedule.objects.due().filter(user=request.user).count(),
            "postings": postings,
            "memberships": request.user.memberships.select_related("organization"),
            "interviews": InterviewSession.objects.recent_with_answer_counts(request.user, 10),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_new(request: AuthedRequest) -> HttpResponse:
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting = create_posting(
                request.user, form.cleaned_data["text"], title=form.cleaned_data["title"], llm_later=True
            )
        except PostingTextError as exc:
            form.add_error("text", str(exc))
        else:
            return redirect("posting_detail", pk=posting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "interviews/posting_new.html", {"form": form}, status=status)


def _plan_form(rows: list[RequirementLinks], data: Any = None) -> PlanForm:
    """The plan form for a posting's requirements (posting_requirements)."""
    names = skill_names(rows)
    return PlanForm(data, skill_choices=[(slug, names[slug]) for slug in profile_of(rows)])


@login_required
@require_GET
@vary_on_headers("HX-Request")
def posting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The posting's requirements, the adjustable plan and its coverage map. The plan is
    seeded by the posting and the candidate's history, so a reload shows the same one;
    "New plan" asks for the next variant. Nothing here writes to the database."""
    posting = get_object_or_404(Posting, pk=pk, owner=request.user)
    rows = posting_requirements(posting)  # read once for the form, the plan and readiness
    form = _plan_form(rows, request.GET if "questions" in request.GET else None)
    options = form.options() if form.is_bound and form.is_valid() else PlanOptions()
    plan = build_plan(posting, request.user, options, rows=rows)
    context: dict[str, object] = {"posting": posting, "form": form, "plan": plan, "options": options}
    if not request.htmx:
        context["readiness"] = requirement_readiness(posting, request.user, rows)
    template = "interviews/posting_detail.html#plan" if request.htmx else "interviews/posting_detail.html"
    return render(request, template, context)


@login_required
@require_GET
def posting_analysis_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Polled while the LLM reads the posting; once it has, the page reloads to show its requirements."""
    posting = get_object_or_404(Posting, pk=pk, owner=request.user)
    response = render(request, "interviews/posting_detail.html#analysis", {"posting": posting})
    if not posting.llm_analysis_pending:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def interview_start(request: AuthedRequest, pk: int) -> HttpResponse:
    posting = get_object_or_404(Posting, pk=pk, owner=request.user)
    rows = posting_requirements(posting)
    form = _plan_form(rows, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("posting_detail", pk=posting.pk)
    previewed = {
        q.pk: q for q in Question.objects.practisable_by(request.user).filter(pk__in=form.cleaned_data["planned"])
    }
    questions = [previewed[pk] for pk in form.cleaned_data["planned"] if pk in previewed]
    if not questions:
        questions = build_plan(posting, request.user, form.options(), rows=rows).questions
    session = start_interview(request.user, posting, questions)
    return redirect("interview_detail", pk=session.pk)


def _session_for(request: HttpRequest, pk: int) -> InterviewSession:
    return get_object_or_404(
        InterviewSession.objects.select_related("question_set", "posting"), pk=pk, candidate=request.user
    )


def _question_in_session(session: InterviewSession, raw_pk: str | None) -> Question:
    question = get_object_or_404(Question, pk=int(raw_pk) if raw_pk and raw_pk.isdecimal() else 0)
    if not session.question_set.items.filter(question=question).exists():
        raise Http404("That question is not part of this interview.")
    return question


def _interview_context(session: InterviewSession, form: AnswerForm | None = None) -> dict[str, object]:
    answers = (
        session.answers.select_related("question")
        .prefetch_related(Prefetch("grades", queryset=Grade.objects.order_by("pk")))
        .order_by("submitted_at")
    )
    questions = session.ordered_questions()
    finished = session.is_over()
    held_back = session.held_back_ids()
    current = None if finished else session.next_question(held_back)
    draft = session.draft_for(current) if current else None
    if current is not None and form is None:
        # A coding question starts from its starter code (the function to write, stubbed).
        text = draft.text if draft else starter_code(current)
        form = AnswerForm(initial={"question": current.pk, "text": text})
    flagged = set(session.drafts.filter(flagged=True).values_list("question_id", flat=True))
    return {
        "session": session,
        "answers": answers,
        "current": current,
        "coding": current is not None and current.kind == Question.Kind.CODING,
        "draft": draft,
        "flagged": flagged,
        "held_back": held_back,
        "position": len(answers) + 1,
        "total": len(questions),
        "form": form,
        "question_seconds": session.seconds_since_last_answer(),
        "interview_seconds": int((timezone.now() - session.started_at).total_seconds()),
        "seconds_left": session.seconds_left(),
        "time_ran_out": session.ran_out_of_time,
    }


def starter_code(question: Question) -> str:
    if question.kind != Question.Kind.CODING:
        return ""
    return question.coding_files.get("starter.py", "")


def _closed_response(session: InterviewSession) -> HttpResponse | None:
    """Every write to an assessment checks the server-side clock: after the deadline (or once
    every question is answered) nothing the browser sends changes what the team will read.
    Practice belongs to the candidate alone; flags and drafts stay editable there."""
    if not session.is_assessment or not session.close_if_time_is_up():
        return None
    message = "Time is up: the assessment is closed." if session.ran_out_of_time else "This interview is finished."
    return HttpResponse(message, status=409)


# Interview pages and their fragments change with every answer: a copy kept by the
# browser (Back, Forward) would show an answered question again with an empty box.
@never_cache
@login_required
@require_POST
def draft_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Autosave of the answer being typed (htmx, every pause in typing)."""
    session = _session_for(request, pk)
    question = _question_in_session(session, request.POST.get("question"))
    if closed := _closed_response(session):
        return closed
    draft = session.save_draft(question, request.POST.get("text", ""))
    return render(request, "interviews/_draft_status.html", {"draft": draft})


@login_required
@require_POST
@vary_on_headers("HX-Request")
def question_mark(request: AuthedRequest, pk: int, mark: str) -> HttpResponse:
    """Skip the current question for now, or flag it for later; the draft is kept."""
    session = _session_for(request, pk)
    question = _question_in_session(session, request.POST.get("question"))
    if closed := _closed_response(session):
        return closed
    session.save_draft(question, request.POST.get("text", ""))
    if mark == "skip":
        session.skip(question)
    else:
        session.toggle_flag(question)
    return _interview_body_or_redirect(request, session)


@login_required
@require_POST
def revisit_later(request: AuthedRequest, pk: int) -> HttpResponse:
    """Schedule an answered question to come back soon (an FSRS "again" rating)."""
    session = _session_for(request, pk)
    if session.is_assessment:
        raise Http404
    question = _question_in_session(session, request.POST.get("question"))
    schedule = schedule_revisit(request.user, question, Rating.Again)
    messages.success(request, f"This question comes back for you to revisit from {schedule.due:%b %d, %H:%M} UTC.")
    return redirect("interview_detail", pk=session.pk)


@never_cache
@login_required
@require_POST
def code_run(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Run visible tests" on the code being written: results only, no grade, and the answer
    stays open. The code is saved as the draft first, so nothing typed is lost."""
    session = _session_for(request, pk)
    question = _question_in_session(session, request.POST.get("question"))
    if closed := _closed_response(session):
        return closed
    if question.kind != Question.Kind.CODING or not question.coding_files:
        raise Http404("Only coding questions have tests to run.")
    if question.pk in session.held_back_ids():
        return HttpResponse("This question is held back while an assessment that includes it is open.", status=409)
    text = request.POST.get("text", "")
    session.save_draft(question, text)
    status = 200
    try:
        context = run_context(run_visible(request.user.pk, question, text))
    except RunLimited as exc:
        context, status = run_context(None, str(exc)), 429
    except SandboxUnavailable:
        logger.exception("Visible tests could not run")
        context, status = (
            run_context(None, "The code runner is unavailable right now; your code is saved as a draft."),
            503,
        )
    if request.htmx:
        # htmx swaps only 2xx replies by default: the limit message is shown like a result.
        return render(request, "interviews/_code_run.html", context)
    page = _interview_context(session) | context
    return render(request, "interviews/interview.html", page, status=status)


def _interview_body_or_redirect(request: AuthedRequest, session: InterviewSession) -> HttpResponse:
    if not request.htmx:
        return redirect("interview_detail", pk=session.pk)
    return render(request, "interviews/interview.html#interview-body", _interview_context(session))


@never_cache
@login_required
@require_GET
def interview_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    return render(request, "interviews/interview.html", _interview_context(session))


@never_cache
@login_required
@require_POST
@vary_on_headers("HX-Request")
def answer_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    form = AnswerForm(request.POST)
    accepted = False
    if form.is_valid():
        question = get_object_or_404(Question, pk=form.cleaned_data["question"])
        try:
            submission = submit_answer(
                session, question, form.cleaned_data["text"], session.seconds_since_last_answer()
            )
            accepted = True
            if not submission.created:
                # A stale page or a second tab: say so rather than silently dropping this text.
                messages.warning(request, "You already answered this question; your first answer was kept.")
        except AnswerRejected as exc:
            form.add_error("text", str(exc))
    if accepted and not request.htmx:
        return redirect("interview_detail", pk=session.pk)
    context = _interview_context(session, None if accepted else form)
    if request.htmx:
        response = render(request, "interviews/interview.html#interview-body", context)
        if not accepted:
            # A 200 all the same, so htmx swaps the message in; the page keeps its local copy
            # of the text (interview.js), which a reload would otherwise lose.
            response["X-Answer-Refused"] = "1"
        return response
    return render(request, "interviews/interview.html", context, status=400)


@never_cache
@login_required
@require_GET
def grade_status(request: AuthedRequest, pk: int) -> HttpResponse:
    # Assessment grades are for the hiring team only.
    grade = get_object_or_404(
        Grade.objects.select_related("answer").exclude(answer__session__mode=InterviewSession.Mode.ASSESSMENT),
        pk=pk,
        answer__session__candidate=request.user,
    )
    return render(request, "interviews/_grade.html", {"grade": grade})
