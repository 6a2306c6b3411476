import shutil

import pytest

from interviews.bank import coding_loader
from interviews.bank.loader import BankError, load_bank
from interviews.models import Question, QuestionVersion
from tests.execution.conftest import CODING_DIR


@pytest.mark.django_db
def test_coding_questions_load_approved_with_their_cases_as_criteria():
    report = load_bank()
    dirs = coding_loader.question_dirs()
    assert report.coding.created == len(dirs) > 0
    question = Question.objects.get(slug="stable-softmax")
    assert question.kind == Question.Kind.CODING
    assert question.status == Question.Status.APPROVED
    # Approved and so in the usable bank: candidates answer them in the code editor.
    assert Question.objects.usable().filter(pk=question.pk).exists()
    assert set(question.coding_files) >= {"question.yaml", "starter.py", "reference.py", "inputs.py"}
    spec = coding_loader.spec_of(question)
    assert question.max_points == spec.max_points
    assert question.criteria.first().text == "Case small-vector (visible) passes"
    assert question.skills.filter(slug="dl-fundamentals").exists()

    again = load_bank()
    assert (again.coding.created, again.coding.updated, again.coding.unchanged) == (0, 0, len(dirs))
    assert again.retired == 0  # the text loader does not retire the coding questions
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED


@pytest.mark.django_db
def test_a_version_keeps_the_files_it_was_graded_against():
    load_bank()
    question = Question.objects.get(slug="stable-softmax")
    first = QuestionVersion.snapshot(question)
    question.coding_files = {
        **question.coding_files,
        "reference.py": question.coding_files["reference.py"] + "\n# v2\n",
    }
    question.save()
    second = QuestionVersion.snapshot(question)
    assert second.number == first.number + 1
    assert first.coding_files["reference.py"] != second.coding_files["reference.py"]


@pytest.mark.django_db
def test_a_broken_question_directory_stops_the_load_with_its_name(tmp_path, monkeypatch):
    broken = tmp_path / "coding"
    shutil.copytree(CODING_DIR / "stable-softmax", broken / "broken-softmax")
    monkeypatch.setattr(coding_loader, "CODING_DIR", broken)
    with pytest.raises(BankError, match="broken-softmax: slug 'stable-softmax' differs"):
        load_bank()
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_reloading_rewrites_a_coding_question_whose_files_changed():
    load_bank()
    question = Question.objects.get(slug="stable-softmax")
    criteria = list(question.criteria.values_list("order", "text", "points"))
    question.criteria.all().delete()
    question.skills.clear()
    Question.objects.filter(pk=question.pk).update(prompt="stale", content_hash="old")

    report = load_bank()
    question.refresh_from_db()
    assert (report.coding.created, report.coding.updated) == (0, 1)
    assert question.prompt.startswith("**")
    assert list(question.criteria.values_list("order", "text", "points")) == criteria
    assert question.skills.filter(slug="dl-fundamentals").exists()
