"""Set builder pages for owners and managers: create from a posting or by hand, search
the bank, reorder, edit questions (versioned), approve LLM proposals."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from hiring.forms import (
    BankSearchForm,
    CaseFormSet,
    CodingQuestionForm,
    CriterionFormSet,
    InviteCandidatesForm,
    QuestionForm,
    SetForm,
    SetSettingsForm,
)
from hiring.services import builder
from hiring.services.builder import QuestionEdit, SetError
from hiring.views.access import get_allowed, organization_allowed
from interviews import llm
from interviews.bank.coding_edits import CaseEdit, CodingEdit, edited_files
from interviews.models import Question, QuestionSet, QuestionSetItem
from interviews.planning.plan import Plan, coverage_map
from interviews.postings.text import PostingTextError
from interviews.tasks import generate_questions

SETS = QuestionSet.objects.filter(organization__isnull=False, template=None).select_related("organization", "posting")


@login_required
@require_http_methods(["GET", "POST"])
def set_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_allowed(request, slug, "hiring.view_results")
    can_manage = request.user.has_perm("hiring.manage_sets", organization)
    form = SetForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404  # members may read the list; only managers create
        if form.is_valid():
            data = form.cleaned_data
            try:
                question_set = builder.create_set(
                    organization,
                    request.user,  # type: ignore[arg-type]
                    data["title"].strip(),
                    posting_text=data["posting"],
                    questions=data["questions"],
                    difficulty=data["difficulty"],
                    time_limit_minutes=data["time_limit_minutes"],
                )
            except PostingTextError as exc:
                form.add_error("posting", str(exc))
            else:
                return redirect("set_detail", pk=question_set.pk)
    return render(
        request,
        "hiring/set_list.html",
        {
            "organization": organization,
            "sets": builder.team_sets(organization).select_related("posting").prefetch_related("items", "invites"),
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if request.method == "POST" else 200,
    )


def _set(request: HttpRequest, pk: int, perm: str = "hiring.manage_sets") -> QuestionSet:
    return get_allowed(request, SETS, perm, pk=pk)


@login_required
@require_GET
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = _set(request, pk, "hiring.view_results")
    return render(request, "hiring/set_detail.html", _detail_context(request, question_set))


def _detail_context(request: HttpRequest, question_set: QuestionSet, **extra: object) -> dict[str, object]:
    items = question_set.items.select_related("question__primary_skill").prefetch_related(
        "question__criteria", "question__skills"
    )
    plan = None
    if question_set.posting is not None:  # which of the posting's requirements the set tests
        questions = [item.question for item in items]
        plan = Plan(questions=questions, requirements=coverage_map(question_set.posting, questions))
    return {
        "plan": plan,
        "set": question_set,
        "organization": question_set.organization,
        "items": items,
        "proposals": builder.proposals_for(question_set),
        "can_manage": request.user.has_perm("hiring.manage_sets", question_set),
        "search_form": BankSearchForm(),
        "settings_form": SetSettingsForm(
            initial={"title": question_set.title, "time_limit_minutes": question_set.time_limit_minutes}
        ),
        "invite_form": InviteCandidatesForm(),
        "llm_configured": llm.is_configured(),
        **extra,
    }


@login_required
@require_POST
def set_settings(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = _set(request, pk)
    form = SetSettingsForm(request.POST)
    if form.is_valid():
        builder.update_settings(
            question_set,
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["title"],
            form.cleaned_data["time_limit_minutes"],
        )
        messages.success(request, "Set saved. Attempts already started keep the settings they started with.")
        return redirect("set_detail", pk=pk)
    return render(
        request, "hiring/set_detail.html", _detail_context(request, question_set, settings_form=form), status=400
    )


@login_required
@require_GET
def bank_search(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = _set(request, pk)
    form = BankSearchForm(request.GET)
    found: QuerySet[Question] = Question.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        found = builder.search_bank(question_set, data["skill"], data["difficulty"], data["kind"], data["text"])
        # A manager who is also a candidate elsewhere must not read a live assessment's key here.
        found = found.exclude(pk__in=Question.objects.held_back_from(request.user).values("pk"))
    return render(request, "hiring/set_detail.html#search-results", {"set": question_set, "found": found[:40]})


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = _set(request, pk)
    raw = request.POST.get("question", "")
    question = get_object_or_404(
        Question.objects.exclude(pk__in=Question.objects.held_back_from(request.user).values("pk")),
        pk=int(raw) if raw.isdecimal() else 0,
    )
    try:
        builder.add_question(question_set, question, request.user)  # type: ignore[arg-type]
    except SetError as exc:
        messages.error(request, str(exc))
    return redirect("set_detail", pk=pk)


def _item(request: HttpRequest, pk: int, item_pk: int) -> QuestionSetItem:
    question_set = _set(request, pk)
    return get_object_or_404(question_set.items.select_related("question", "question_set__organization"), pk=item_pk)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def item_move(request: HttpRequest, pk: int, item_pk: int, offset: int) -> HttpResponse:
    builder.move_item(_item(request, pk, item_pk), offset)
    if request.htmx:  # type: ignore[attr-defined]
        question_set = _set(request, pk)
        return render(request, "hiring/set_detail.html#items", _detail_context(request, question_set))
    return redirect("set_detail", pk=pk)


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    builder.remove_item(_item(request, pk, item_pk), request.user)  # type: ignore[arg-type]
    return redirect("set_detail", pk=pk)


@login_required
@require_POST
def item_make_private(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    try:
        builder.make_private(item, request.user)  # type: ignore[arg-type]
    except SetError as exc:
        messages.error(request, str(exc))
        return redirect("set_detail", pk=pk)
    messages.success(
        request, "This set now uses the team's private copy. Edit it so it differs from the public question."
    )
    return redirect("question_edit", pk=pk, item_pk=item_pk)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    question = item.question
    coding = builder.is_executable(question)
    form, rows, edit_from = (_coding_edit_forms if coding else _text_edit_forms)(request, question)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            builder.edit_question(item, edit_from(form.cleaned_data, rows.cleaned_data), request.user)  # type: ignore[arg-type]
        except SetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Question saved as a new version. Answered transcripts keep the version they saw."
            )
            return redirect("set_detail", pk=pk)
    return render(
        request,
        "hiring/question_edit.html",
        {
            "set": item.question_set,
            "item": item,
            "question": question,
            "form": form,
            "coding": coding,
            "cases" if coding else "criteria": rows,
            "versions": question.versions.select_related("created_by").order_by("-number"),
            "shared": question.organization_id is None,
        },
        status=400 if request.method == "POST" else 200,
    )


EditForms = tuple[forms.Form, forms.BaseFormSet, Callable[[dict[str, Any], list[dict[str, Any]]], QuestionEdit]]


def _text_edit_forms(request: HttpRequest, question: Question) -> EditForms:
    initial = {
        "prompt": question.prompt,
        "reference_answer": question.reference_answer,
        "difficulty": question.difficulty,
        "numeric_answer": question.numeric_answer,
        "numeric_tolerance": question.numeric_tolerance,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    criteria = CriterionFormSet(
        request.POST or None, prefix="criteria", initial=[{"text": t, "points": p} for t, p in question.rubric()]
    )

    def edit_from(data: dict[str, Any], rows: list[dict[str, Any]]) -> QuestionEdit:
        rubric = [(c["text"].strip(), c["points"]) for c in rows if c and not c.get("DELETE") and c["text"].strip()]
        return QuestionEdit(
            prompt=data["prompt"],
            reference_answer=data["reference_answer"],
            difficulty=data["difficulty"],
            criteria=rubric,
            numeric_answer=data["numeric_answer"],
            numeric_tolerance=data["numeric_tolerance"],
        )

    return form, criteria, edit_from


def _coding_edit_forms(request: HttpRequest, question: Question) -> EditForms:
    """Prompt, starter code, each case's points and visibility (and a performance question's
    time budget); the rubric follows from the points."""
    # Through edited_files, which names the question in its files: a copy forked before
    # copies did so still opens here, and saving repairs it.
    _, spec = edited_files(question.coding_files, question.slug)
    initial = {"prompt": question.prompt, "difficulty": question.difficulty, "starter": spec.starter}
    if spec.performance is not None:
        initial["budget_ratio"] = spec.performance.budget_ratio
    form = CodingQuestionForm(request.POST or None, initial=initial, performance=spec.performance is not None)
    cases = CaseFormSet(
        request.POST or None,
        prefix="cases",
        initial=[{"name": c.name, "points": c.points, "visible": c.visible} for c in spec.cases],
    )

    def edit_from(data: dict[str, Any], rows: list[dict[str, Any]]) -> QuestionEdit:
        coding = CodingEdit(
            starter=data["starter"],
            cases={c["name"]: CaseEdit(points=c["points"], visible=c["visible"]) for c in rows if c},
            budget_ratio=data.get("budget_ratio"),
        )
        return QuestionEdit(
            prompt=data["prompt"], reference_answer="", difficulty=data["difficulty"], criteria=[], coding=coding
        )

    return form, cases, edit_from


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int, question_pk: int, decision: str) -> HttpResponse:
    question_set = _set(request, pk)
    proposal = get_object_or_404(builder.proposals_for(question_set), pk=question_pk)
    if decision == "approve":
        try:
            builder.approve_proposal(question_set, proposal, request.user)  # type: ignore[arg-type]
        except SetError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Proposed question approved and added to the set.")
    else:
        builder.discard_proposal(question_set, proposal, request.user)  # type: ignore[arg-type]
        messages.success(request, "Proposed question discarded.")
    return redirect("set_detail", pk=pk)


@login_required
@require_POST
def set_generate(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = _set(request, pk)
    if question_set.posting_id is None:
        messages.error(
            request, "Questions are proposed for a posting's uncovered requirements; this set has no posting."
        )
    elif not llm.is_configured():
        messages.error(request, "No LLM is configured, so no questions can be proposed. Add questions from the bank.")
    else:
        generate_questions.delay_on_commit(question_set.posting_id)
        messages.success(request, "Questions are being proposed; they appear below for approval in a minute.")
    return redirect("set_detail", pk=pk)
