"""Building a hiring team's question set: from a posting through the candidate planner,
or question by question from the bank; reordering; editing questions without ever
changing what an answered transcript shows."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet

from accounts import audit
from accounts.models import Organization, User
from interviews.bank.coding_edits import CodingEdit, edited_files
from interviews.bank.coding_loader import coding_rubric
from interviews.execution.spec import SpecError
from interviews.models import Posting, Question, QuestionSet, QuestionSetItem, QuestionVersion, RubricCriterion
from interviews.planning.plan import PlanOptions, build_plan
from interviews.postings.services import create_posting


class SetError(ValueError):
    """The change cannot be made; the message is shown to the manager."""


def team_sets(organization: Organization) -> QuerySet[QuestionSet]:
    """The team's own sets (not the frozen copies made for each attempt)."""
    return QuestionSet.objects.filter(organization=organization, template=None)


@transaction.atomic
def create_set(
    organization: Organization,
    user: User,
    title: str,
    posting_text: str = "",
    questions: int = 6,
    difficulty: int | None = None,
    time_limit_minutes: int | None = None,
) -> QuestionSet:
    """A new set; with a posting, filled by the same planner candidates use."""
    posting: Posting | None = None
    if posting_text.strip():
        posting = create_posting(user, posting_text, title=title)  # raises PostingTextError with a message
    question_set = QuestionSet.objects.create(
        title=(title or (posting.title if posting else "") or "Untitled set")[:300],
        organization=organization,
        posting=posting,
        time_limit_minutes=time_limit_minutes,
    )
    if posting is not None:
        plan = build_plan(posting, None, PlanOptions(questions=questions, difficulty=difficulty))
        for question in plan.questions:
            _append(question_set, question)
    after = {"title": question_set.title, "time_limit_minutes": time_limit_minutes}
    if posting is not None:
        after |= {"posting": posting.title, "questions": question_set.items.count()}
    audit.record(organization, user, audit.Action.SET_CREATED, question_set, after=after)
    return question_set


@transaction.atomic
def update_settings(question_set: QuestionSet, user: User, title: str, time_limit_minutes: int | None) -> None:
    """Rename the set or change its time limit (attempts already started keep theirs)."""
    before = {"title": question_set.title, "time_limit_minutes": question_set.time_limit_minutes}
    question_set.title = title
    question_set.time_limit_minutes = time_limit_minutes
    question_set.save(update_fields=["title", "time_limit_minutes"])
    old, new = audit.diff(before, {"title": title, "time_limit_minutes": time_limit_minutes})
    if new:  # saving the form unchanged changes nothing worth a line in the log
        assert question_set.organization is not None  # the builder only edits teams' sets
        audit.record(question_set.organization, user, audit.Action.SET_UPDATED, question_set, before=old, after=new)


def usable_in(question_set: QuestionSet) -> QuerySet[Question]:
    """Questions a team may put in its set: approved bank questions and its own."""
    return (
        Question.objects.filter(status=Question.Status.APPROVED)
        .filter(Q(organization=None) | Q(organization=question_set.organization_id))
        .exclude_unrunnable()
    )


def search_bank(
    question_set: QuestionSet, skill: str = "", difficulty: int | None = None, kind: str = "", text: str = ""
) -> QuerySet[Question]:
    found = usable_in(question_set).exclude(pk__in=question_set.items.values("question_id"))
    if skill:
        found = found.filter(skills__slug=skill)
    if difficulty:
        found = found.filter(difficulty=difficulty)
    if kind:
        found = found.filter(kind=kind)
    if text.strip():
        found = found.filter(prompt__icontains=text.strip())
    return found.select_related("primary_skill").distinct().order_by("difficulty", "slug")


@transaction.atomic
def add_question(question_set: QuestionSet, question: Question, user: User | None = None) -> QuestionSetItem:
    """A manager's choice from the bank (`user` None: a script or seed data did it)."""
    item = _append(question_set, question)
    if question_set.organization is not None:
        _record_item(audit.Action.SET_QUESTION_ADDED, question_set, question, user)
    return item


def _append(question_set: QuestionSet, question: Question) -> QuestionSetItem:
    """Put a question last in the set; the callers audit the change they make with it."""
    if question.status != Question.Status.APPROVED:
        raise SetError("Approve this proposed question before adding it to a set.")
    if question.organization_id not in (None, question_set.organization_id):
        raise SetError("That question belongs to another team.")
    if question_set.items.filter(question=question).exists():
        raise SetError("That question is already in the set.")
    last = question_set.items.aggregate(last=Max("order"))["last"]
    return QuestionSetItem.objects.create(
        question_set=question_set, question=question, order=0 if last is None else last + 1
    )


@transaction.atomic
def move_item(item: QuestionSetItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) by swapping it with its neighbour."""
    items = list(item.question_set.items.select_for_update().order_by("order", "pk"))
    position = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = position + offset
    if not 0 <= target < len(items):
        return
    items[position], items[target] = items[target], items[position]
    for order, each in enumerate(items):
        if each.order != order:
            QuestionSetItem.objects.filter(pk=each.pk).update(order=order)


@transaction.atomic
def remove_item(item: QuestionSetItem, user: User) -> None:
    item.delete()
    _record_item(audit.Action.SET_QUESTION_REMOVED, item.question_set, item.question, user)


def _record_item(action: str, question_set: QuestionSet, question: Question, user: User | None) -> None:
    assert question_set.organization is not None
    audit.record(
        question_set.organization, user, action, question_set, after={"question": _label(question), "id": question.pk}
    )


def _label(question: Question) -> str:
    return question.prompt[:80]


def _state(question: Question) -> dict[str, object]:
    """A question's editable fields, as the audit log compares them."""
    return {
        "prompt": question.prompt,
        "reference_answer": question.reference_answer,
        "difficulty": question.difficulty,
        "numeric_answer": question.numeric_answer,
        "numeric_tolerance": question.numeric_tolerance,
        "criteria": [f"{text} ({points})" for text, points in question.rubric()],
    }


@dataclass
class QuestionEdit:
    prompt: str
    reference_answer: str
    difficulty: int
    criteria: list[tuple[str, int]]
    numeric_answer: float | None = None
    numeric_tolerance: float | None = None
    # Executable questions: what a team may change in them. Their rubric is derived from the
    # cases' points, so `criteria` and `reference_answer` are ignored for them.
    coding: CodingEdit | None = None


def is_executable(question: Question) -> bool:
    return question.kind == Question.Kind.CODING and bool(question.coding_files)


@transaction.atomic
def edit_question(item: QuestionSetItem, edit: QuestionEdit, user: User) -> Question:
    """Apply an edit to a question in a set and record a new version.

    A bank question (or another set's) is never changed in place: the team gets its own
    copy, which replaces it in this set. Answers keep pointing at the version their
    candidate saw; text grades made against the old rubric show as outdated, while code
    answers keep being graded by the version they answered (its cases and points)."""
    executable = is_executable(item.question)
    if executable and edit.coding is None:
        raise SetError("A coding question's edit must give its starter code and its cases' points.")
    if not executable and not edit.criteria:
        raise SetError("A question needs at least one rubric criterion.")
    before = _state(item.question)
    original = item.question
    if item.question.organization_id != item.question_set.organization_id or item.question_set.organization is None:
        question = _swap_for_private_copy(item, user)
    else:
        question = item.question
        QuestionVersion.snapshot(question)  # the pre-edit content, if nothing has recorded it yet
    question.prompt = edit.prompt
    question.difficulty = edit.difficulty
    criteria = edit.criteria
    if executable:
        try:
            question.coding_files, spec = edited_files(question.coding_files, question.slug, edit.coding)
        except SpecError as exc:
            raise SetError(str(exc).replace(f"{question.slug}: ", "")) from exc
        criteria = coding_rubric(spec)
    else:
        question.reference_answer = edit.reference_answer
        question.numeric_answer = edit.numeric_answer
        question.numeric_tolerance = edit.numeric_tolerance
    question.save()
    question.criteria.all().delete()
    RubricCriterion.objects.bulk_create(
        RubricCriterion(question=question, order=i, text=text, points=points)
        for i, (text, points) in enumerate(criteria)
    )
    QuestionVersion.snapshot(question, user)
    old, new = audit.diff(before, _state(question))
    if question != original:  # the edit made the team's own copy: say which question it copied
        old["question"], new["question"] = original.pk, question.pk
    assert item.question_set.organization is not None  # else the copy above refused
    audit.record(
        item.question_set.organization,
        user,
        audit.Action.QUESTION_EDITED,
        question,
        before=old,
        after=new,
        label=_label(question),
    )
    return question


@transaction.atomic
def make_private(item: QuestionSetItem, user: User) -> Question:
    """`_swap_for_private_copy` as a manager's action of its own, and audited as one."""
    original = item.question
    copy = _swap_for_private_copy(item, user)
    if copy != original:
        assert item.question_set.organization is not None
        audit.record(
            item.question_set.organization,
            user,
            audit.Action.QUESTION_MADE_PRIVATE,
            copy,
            before={"question": original.pk},
            after={"question": copy.pk},
            label=_label(copy),
        )
    return copy


def _swap_for_private_copy(item: QuestionSetItem, user: User) -> Question:
    """Swap a public bank question in a team's set for the team's own versioned copy.

    Anyone can practise a public question before being invited, so a team that wants an
    unseen question makes it private here and then edits it (the copy is never planned
    for anyone else and never appears in other teams' searches)."""
    question = item.question
    organization = item.question_set.organization
    if organization is not None and question.organization_id == organization.pk:
        return question  # already the team's own
    copy = _fork(question, organization, user)
    item.question = copy
    item.save(update_fields=["question"])
    return copy


def _fork(question: Question, organization: Organization | None, user: User) -> Question:
    if organization is None:
        raise SetError("Only a team's sets can be edited here.")
    skills = list(question.skills.all())
    rubric = question.rubric()
    original_pk = question.pk
    copy = Question.objects.get(pk=original_pk)
    copy.pk = None
    copy.slug = f"{organization.slug}-{question.slug}"[:92] + "-" + secrets.token_hex(3)
    copy.organization = organization
    copy.forked_from_id = original_pk
    copy.origin = Question.Origin.AUTHORED
    copy.content_hash = ""
    if is_executable(question):
        # The files name their question: the copy's must name the copy, or its spec is refused.
        copy.coding_files, _ = edited_files(question.coding_files, copy.slug)
    copy.save()
    copy.skills.set(skills)
    RubricCriterion.objects.bulk_create(
        RubricCriterion(question=copy, order=i, text=text, points=points) for i, (text, points) in enumerate(rubric)
    )
    QuestionVersion.snapshot(copy, user)
    return copy


def proposals_for(question_set: QuestionSet) -> QuerySet[Question]:
    """LLM-written proposals for the set's posting, waiting for a manager's approval."""
    if question_set.posting_id is None:
        return Question.objects.none()
    return Question.objects.filter(
        status=Question.Status.PROPOSED, source_requirement__posting=question_set.posting_id
    ).prefetch_related("criteria", "skills")


@transaction.atomic
def approve_proposal(question_set: QuestionSet, question: Question, user: User) -> QuestionSetItem:
    """Approve a proposed question as the team's own question and add it to the set."""
    if question.status != Question.Status.PROPOSED or question.source_requirement is None:
        raise SetError("That question is not a proposal waiting for approval.")
    if question.source_requirement.posting_id != question_set.posting_id:
        raise SetError("That proposal was written for another posting.")
    question.status = Question.Status.APPROVED
    question.organization = question_set.organization
    question.save(update_fields=["status", "organization", "updated_at"])
    QuestionVersion.snapshot(question, user)
    item = _append(question_set, question)
    assert question_set.organization is not None
    audit.record(question_set.organization, user, audit.Action.QUESTION_APPROVED, question, label=_label(question))
    return item


@transaction.atomic
def discard_proposal(question_set: QuestionSet, question: Question, user: User) -> None:
    deleted, _ = proposals_for(question_set).filter(pk=question.pk).delete()
    if deleted and question_set.organization is not None:
        audit.record(
            question_set.organization,
            user,
            audit.Action.QUESTION_DISCARDED,
            question,
            before={"prompt": question.prompt},
            label=_label(question),
        )
