"""A hiring team edits a coding question: its prompt, starter code and its cases' points and
visibility (a performance question's time budget too), never its trusted files. Each edit is
a new version: answers keep grading and showing against the version they answered."""

import re

import pytest
import yaml
from django.urls import reverse

from hiring.services import assessments, builder
from hiring.services.builder import QuestionEdit, SetError
from hiring.services.results import count_outdated, outdated_answer_ids
from interviews.bank.coding_edits import CaseEdit, CodingEdit, edited_files
from interviews.bank.coding_loader import coding_rubric, read_coding, spec_of
from interviews.execution.spec import SpecError
from interviews.execution.timing import performance_text
from interviews.grading.service import regrade, run_grade, submit_answer
from interviews.models import Grade, Question, QuestionSet
from tests.execution.conftest import needs_sandbox
from tests.execution.test_code_grading import softmax_question  # noqa: F401  (fixture)
from tests.execution.test_runner import NAIVE_SOFTMAX
from tests.factories import UserFactory
from tests.hiring.conftest import login, world  # noqa: F401  (fixture)

# Bank content that must never reach a candidate: a line of the reference implementation and
# a hidden case's inputs (huge-logits: [1000.0, 1001.0, 1002.0]; the prompt says only "around 1000").
REFERENCE_LINE = "shifted = x - np.max(x, axis=axis, keepdims=True)"
HIDDEN_INPUT = "1001"
EDITED_STARTER = 'import numpy as np\n\n\ndef softmax(x, axis=-1):\n    """Team starter: edited."""\n    ...\n'


@pytest.fixture
def coding_set(world, softmax_question):  # noqa: F811
    """Org 1's set with its own copy of the softmax question (a bank question is forked on edit)."""
    question_set = QuestionSet.objects.create(title="Coding screen", organization=world.org1)
    item = builder.add_question(question_set, softmax_question)
    builder.make_private(item, world.manager1)
    return question_set


def edit_post(question, prompt, starter, changes=None):
    """The edit form as a manager submits it: every case, with `changes` {name: (points, visible)}."""
    cases = spec_of(question).cases
    data = {
        "prompt": prompt,
        "difficulty": 2,
        "starter": starter,
        "cases-TOTAL_FORMS": len(cases),
        "cases-INITIAL_FORMS": len(cases),
    }
    for i, case in enumerate(cases):
        points, visible = (changes or {}).get(case.name, (case.points, case.visible))
        data[f"cases-{i}-name"], data[f"cases-{i}-points"] = case.name, points
        if visible:
            data[f"cases-{i}-visible"] = "on"
    return data


def edit_url(question_set):
    return reverse("question_edit", args=[question_set.pk, question_set.items.get().pk])


def cases_of(grade):
    return {c["criterion"]: (c["points"], c["max_points"], bool(c["evidence"])) for c in grade.criteria}


def test_an_edit_is_a_new_version_whose_rubric_comes_from_the_cases_points(world, client, softmax_question):  # noqa: F811
    question_set = QuestionSet.objects.create(title="Coding screen", organization=world.org1)
    builder.add_question(question_set, softmax_question)
    login(client, world.manager1)
    form = client.get(edit_url(question_set)).content.decode()
    assert 'name="cases-2-points"' in form and 'name="starter"' in form
    assert 'name="reference_answer"' not in form and REFERENCE_LINE not in form

    response = client.post(
        edit_url(question_set),
        # The reference cannot be replaced through the form: an extra field is ignored.
        edit_post(softmax_question, "**Softmax**, edited", EDITED_STARTER, {"huge-logits": (4, False)})
        | {"reference_answer": "import os", "reference": "import os"},
    )
    assert response.status_code == 302
    team_question = question_set.items.get().question
    assert team_question.organization == world.org1 and team_question.forked_from == softmax_question
    softmax_question.refresh_from_db()
    assert "points: 2" in softmax_question.coding_files["question.yaml"]  # the bank is unchanged
    # v1 the copy as forked, v2 the edit.
    v1, v2 = team_question.versions.order_by("number")
    assert (v1.prompt, v2.prompt) == (softmax_question.prompt, "**Softmax**, edited")
    assert (v1.max_points, v2.max_points) == (6, 8)
    assert v2.coding_files["starter.py"] == EDITED_STARTER
    for trusted in ("reference.py", "inputs.py"):
        assert v2.coding_files[trusted] == softmax_question.coding_files[trusted]
    assert team_question.reference_answer == softmax_question.reference_answer
    # The rubric is the cases' points, so it agrees with what grading will run.
    assert team_question.rubric() == [
        (f"Case {c.name} ({'visible' if c.visible else 'hidden'}) passes", c.points)
        for c in spec_of(team_question).cases
    ]
    assert ("Case huge-logits (hidden) passes", 4) in team_question.rubric()
    assert v2.rubric() == team_question.rubric()


def test_an_edit_that_breaks_the_question_is_refused_and_versions_nothing(world, client, coding_set):  # noqa: F811
    question = coding_set.items.get().question
    login(client, world.manager1)
    all_visible = {c.name: (c.points, True) for c in spec_of(question).cases}
    response = client.post(edit_url(coding_set), edit_post(question, "Edited", EDITED_STARTER, all_visible))
    assert response.status_code == 400 and b"at least one visible and one hidden case" in response.content
    no_function = client.post(edit_url(coding_set), edit_post(question, "Edited", "x = 1\n"))
    assert no_function.status_code == 400 and b"starter.py does not define softmax" in no_function.content
    assert question.versions.count() == 1
    # Cases are the bank's: an edit cannot add one (its inputs would be manager-written) or drop one.
    cases = {c.name: CaseEdit(c.points, c.visible) for c in spec_of(question).cases}
    item = coding_set.items.get()
    for changed in ({**cases, "mine": CaseEdit(1, False)}, dict(list(cases.items())[1:])):
        with pytest.raises(SetError, match="every case"):
            edit = QuestionEdit("p", "", 2, [], coding=CodingEdit(EDITED_STARTER, changed))
            builder.edit_question(item, edit, world.manager1)
    question.refresh_from_db()
    assert question.versions.count() == 1 and "Edited" not in question.prompt


def test_a_performance_questions_time_budget_is_editable_and_renames_its_criterion():
    bank = {spec.slug: (spec, files) for spec, files in read_coding()[0]}
    spec, files = next((s, f) for s, f in bank.values() if s.performance and s.requires == "cpu")
    cases = {c.name: CaseEdit(c.points, c.visible) for c in spec.cases}
    _, edited = edited_files(files, spec.slug, CodingEdit(spec.starter, cases, budget_ratio=7.5))
    assert edited.performance is not None and edited.performance.budget_ratio == 7.5
    assert edited.performance.rounds == spec.performance.rounds
    assert coding_rubric(edited)[-1] == (performance_text(7.5), spec.performance_points)
    softmax, softmax_files = bank["stable-softmax"]
    with pytest.raises(SpecError, match="only a performance question"):
        all_cases = {c.name: CaseEdit(c.points, c.visible) for c in softmax.cases}
        edited_files(softmax_files, "stable-softmax", CodingEdit(softmax.starter, all_cases, budget_ratio=2.0))


def test_rewriting_the_files_without_an_edit_changes_nothing_grading_reads():
    """The edit path re-serialises question.yaml: for every bank question, what it parses to
    (cases, inputs, tolerances, checker, performance) must be exactly the bank's."""
    specs, errors = read_coding()
    assert specs and not errors
    for spec, files in specs:
        changed, _ = edited_files(files, spec.slug)
        assert yaml.safe_load(changed["question.yaml"]) == spec.raw, spec.slug
        assert {k: v for k, v in changed.items() if k != "question.yaml"} == {
            k: v for k, v in files.items() if k != "question.yaml"
        }


def test_another_teams_manager_cannot_edit_it(world, client, coding_set):  # noqa: F811
    question = coding_set.items.get().question
    login(client, world.manager2)
    assert client.get(edit_url(coding_set)).status_code == 404
    post = edit_post(question, "Hijacked", EDITED_STARTER, {"huge-logits": (9, True)})
    assert client.post(edit_url(coding_set), post).status_code == 404
    question.refresh_from_db()
    assert question.versions.count() == 1 and question.prompt != "Hijacked"


def _answer(question_set, manager, candidate, code=NAIVE_SOFTMAX):
    invite = assessments.invite_candidates(question_set, candidate.email, manager, "http://testserver")[0]
    session = assessments.start(invite.token, candidate)
    submission = submit_answer(session, question_set.items.get().question, code, 60)
    assert run_grade(submission.grade.pk) == "done"
    return session, submission.answer


def _entry(client, session):
    page = client.get(reverse("transcript", args=[session.pk])).content.decode()
    return re.search(r'<article class="card transcript-entry".*?</article>', page, re.S).group(0)


@needs_sandbox
@pytest.mark.django_db(transaction=True)
def test_old_answers_keep_their_version_and_new_answers_are_graded_with_the_edited_points(
    world,  # noqa: F811
    client,
    coding_set,
    django_capture_on_commit_callbacks,
):
    old_session, old_answer = _answer(coding_set, world.manager1, world.candidate_b)
    old_grade = old_answer.grades.get()
    assert old_grade.score == pytest.approx(5 * 4 / 6, abs=0.01)  # huge-logits (2 of 6 points) fails
    login(client, world.manager1)
    transcript_before = _entry(client, old_session)

    question = coding_set.items.get().question
    response = client.post(
        edit_url(coding_set),
        # huge-logits now worth 4; first-axis now visible.
        edit_post(question, question.prompt, EDITED_STARTER, {"huge-logits": (4, False), "first-axis": (1, True)}),
    )
    assert response.status_code == 302

    # The old answer: same version, same transcript, and not outdated (regrading would not change it)...
    assert _entry(client, old_session) == transcript_before
    assert outdated_answer_ids(coding_set) == [] and count_outdated(coding_set) == 0
    # ...and a regrade still runs the version it answered: its points, its visibility.
    with django_capture_on_commit_callbacks(execute=False):
        (regraded,) = regrade([old_answer], "auto", world.manager1)
    assert run_grade(regraded.pk) == "done"
    regraded.refresh_from_db()
    assert regraded.score == old_grade.score and regraded.rubric_version == old_grade.rubric_version
    assert cases_of(regraded) == cases_of(old_grade)
    assert cases_of(regraded)["Case first-axis (hidden) passes"] == (1, 1, False)

    # A new answer is graded by the edit: huge-logits is 4 of 8 points, first-axis is visible.
    _, new_answer = _answer(coding_set, world.manager1, UserFactory(email="c@example.com"))
    assert new_answer.question_version.number == 2
    new_grade = Grade.objects.get(answer=new_answer)
    assert new_grade.score == pytest.approx(5 * 4 / 8, abs=0.01)
    assert cases_of(new_grade)["Case huge-logits (hidden) passes"] == (0, 4, False)
    assert cases_of(new_grade)["Case first-axis (visible) passes"] == (1, 1, True)  # its evidence now shows
    assert new_grade.rubric_version != old_grade.rubric_version


@needs_sandbox
@pytest.mark.django_db(transaction=True)
def test_a_candidate_sees_the_edited_starter_but_never_the_reference_or_hidden_inputs(world, client, coding_set):  # noqa: F811
    question = coding_set.items.get().question
    login(client, world.manager1)
    client.post(edit_url(coding_set), edit_post(question, question.prompt, EDITED_STARTER))
    invite = assessments.invite_candidates(coding_set, world.candidate_b.email, world.manager1, "http://testserver")[0]
    session = assessments.start(invite.token, world.candidate_b)

    login(client, world.candidate_b)
    page = client.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "Team starter: edited." in page
    assert REFERENCE_LINE not in page and HIDDEN_INPUT not in page
    submission = submit_answer(session, Question.objects.get(pk=question.pk), NAIVE_SOFTMAX, 60)
    assert run_grade(submission.grade.pk) == "done"  # the hidden huge-logits case fails
    response = client.get(reverse("interview_detail", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Your answer (submitted)" in page
    assert REFERENCE_LINE not in page and HIDDEN_INPUT not in page
    # The grade itself (per-case results) is the team's: not even its fragment is served.
    assert client.get(reverse("grade_status", args=[submission.grade.pk])).status_code == 404
