import copy

import pytest
import yaml

from interviews import safe_yaml
from interviews.bank.loader import (
    QUESTIONS_DIR,
    SKILLS_FILE,
    BankError,
    load_bank,
    read_questions,
    read_skills,
    validate,
)
from interviews.models import Question, RubricCriterion, Skill


def test_every_content_file_is_valid():
    assert validate(read_skills(), read_questions()) == []


def test_the_fast_loader_reads_every_content_file_as_pyyamls_safe_loader_does():
    assert safe_yaml.Loader is yaml.CSafeLoader  # libyaml is in PyYAML's wheels: the fast path is taken
    for path in [SKILLS_FILE, *sorted(QUESTIONS_DIR.glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert safe_yaml.load(text) == yaml.safe_load(text), path.name


def test_the_bank_has_at_least_30_questions_with_keys_and_rubrics():
    questions = read_questions()
    assert len(questions) >= 30
    assert all(q["reference_answer"].strip() and 3 <= len(q["rubric"]) <= 6 for q in questions)
    kinds = {q["kind"] for q in questions}
    assert {"concept", "design", "behavioural", "numeric"} <= kinds


def test_every_skill_has_at_least_one_question():
    skills = {s["slug"] for area in read_skills() for s in area["skills"]}
    covered = {slug for q in read_questions() for slug in q["skills"]}
    assert skills - covered == set()


def test_validation_reports_each_kind_of_mistake():
    areas = read_skills()
    good = read_questions()[0]
    duplicate = copy.deepcopy(good)
    unknown_skill = {**copy.deepcopy(good), "slug": "x-unknown", "skills": ["no-such-skill"]}
    bad_points = {**copy.deepcopy(good), "slug": "x-points", "rubric": [{"text": "a", "points": 9}] * 3}
    numeric = {**copy.deepcopy(good), "slug": "x-numeric", "kind": "numeric"}
    numeric.pop("answer", None)
    errors = "\n".join(validate(areas, [good, duplicate, unknown_skill, bad_points, numeric]))
    assert "duplicate slug" in errors
    assert "no-such-skill" in errors
    assert "bad criterion" in errors
    assert "answer.value" in errors


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time():
    first = load_bank()
    counts = (Question.objects.count(), RubricCriterion.objects.count(), Skill.objects.count())
    second = load_bank()
    assert first.created == len(read_questions())
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert counts == (Question.objects.count(), RubricCriterion.objects.count(), Skill.objects.count())


@pytest.mark.django_db
def test_reloading_rewrites_a_question_whose_file_entry_changed():
    load_bank()
    question = Question.objects.exclude(kind=Question.Kind.CODING).order_by("slug").first()
    Question.objects.filter(pk=question.pk).update(prompt="stale", content_hash="old")
    report = load_bank()
    question.refresh_from_db()
    assert report.updated == 1
    assert question.prompt != "stale"
    assert question.criteria.count() >= 3


@pytest.mark.django_db
def test_a_broken_bank_loads_nothing(monkeypatch):
    broken = [{**q, "difficulty": 9} for q in read_questions()]
    monkeypatch.setattr("interviews.bank.loader.read_questions", lambda: broken)
    with pytest.raises(BankError, match="difficulty"):
        load_bank()
    assert Question.objects.count() == 0


def test_numeric_keys_carry_a_tolerance():
    for q in read_questions():
        if q["kind"] == "numeric":
            assert q["answer"]["tolerance"] >= 0
            assert q["answer"]["tolerance"] <= abs(q["answer"]["value"]) * 0.1 + 1e-9 or q["answer"]["value"] == 0


@pytest.mark.django_db
def test_a_question_removed_from_the_files_is_retired_not_deleted(monkeypatch):
    load_bank()
    entries = read_questions()
    gone = entries[0]["slug"]
    monkeypatch.setattr("interviews.bank.loader.read_questions", lambda: entries[1:])
    report = load_bank()
    assert report.retired == 1
    assert Question.objects.filter(slug=gone, status=Question.Status.RETIRED).exists()
    assert not Question.objects.usable().filter(slug=gone).exists()


def test_the_bank_meets_the_size_and_coverage_targets():
    questions = read_questions()
    assert len(questions) >= 300
    per_skill = {}
    for q in questions:
        for slug in q["skills"]:
            per_skill[slug] = per_skill.get(slug, 0) + 1
    skills = {s["slug"] for area in read_skills() for s in area["skills"]}
    assert {slug: per_skill.get(slug, 0) for slug in skills if per_skill.get(slug, 0) < 15} == {}
    gpu_and_pytorch = {"pytorch", "distributed-training", "gpu-performance", "gpu-profiling"}
    assert sum(1 for q in questions if set(q["skills"]) & gpu_and_pytorch) >= 40
    assert {q["difficulty"] for q in questions} == {1, 2, 3, 4, 5}
    assert all(sum(1 for q in questions if q["kind"] == kind) >= 10 for kind in ("design", "behavioural", "numeric"))
