import pytest
from django.urls import reverse

from hiring.services import builder
from hiring.services.builder import QuestionEdit, SetError
from interviews.grading.service import run_grade
from interviews.models import Question, QuestionSet, QuestionVersion
from tests.factories import QuestionFactory
from tests.hiring.conftest import login

POSTING = """Senior Machine Learning Engineer
Requirements:
- Train and debug deep networks in PyTorch; profile GPU kernels with Nsight.
- Design A/B tests and reason about statistical significance.
- Deploy models with Docker and monitor drift in production.
"""


def test_a_set_built_from_a_posting_uses_the_planner_and_covers_its_skills(bank, world, client):
    login(client, world.manager1)
    response = client.post(
        reverse("set_list", args=[world.org1.slug]),
        {"title": "", "posting": POSTING, "questions": 6, "difficulty": "", "time_limit_minutes": 45},
    )
    assert response.status_code == 302
    question_set = QuestionSet.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert question_set.organization == world.org1 and question_set.time_limit_minutes == 45
    assert question_set.posting is not None and question_set.posting.title
    questions = [item.question for item in question_set.items.order_by("order")]
    assert len(questions) == 6
    skills = {s.slug for q in questions for s in q.skills.all()}
    assert {"pytorch", "statistics"} & skills, skills
    page = client.get(reverse("set_detail", args=[question_set.pk]))
    assert page.status_code == 200 and b"Invite candidates" in page.content


def test_a_set_needs_a_title_or_a_posting_and_a_binary_posting_gets_a_message(world, client):
    login(client, world.manager1)
    url = reverse("set_list", args=[world.org1.slug])
    empty = client.post(url, {"title": "", "posting": "", "questions": 5})
    assert empty.status_code == 400 and b"title or paste a posting" in empty.content
    binary = client.post(url, {"title": "x", "posting": "abc\x00def", "questions": 5})
    assert binary.status_code == 400 and b"binary" in binary.content
    assert not QuestionSet.objects.filter(title="x").exists()


def test_bank_search_filters_by_skill_difficulty_and_kind_and_excludes_what_is_in_the_set(bank, world, client):
    login(client, world.manager1)
    response = client.get(
        reverse("bank_search", args=[world.team_set.pk]), {"skill": "pytorch", "difficulty": 3, "kind": "concept"}
    )
    found = list(builder.search_bank(world.team_set, "pytorch", 3, "concept"))
    assert len(found) > 0 and response.status_code == 200
    assert response.content.count(b'name="question"') == min(len(found), 40)
    for question in found:
        assert question.difficulty == 3 and question.kind == "concept"
        assert "pytorch" in {s.slug for s in question.skills.all()}
    in_set = set(world.team_set.items.values_list("question_id", flat=True))
    assert not in_set & {q.pk for q in builder.search_bank(world.team_set)}
    other_team_question = QuestionFactory(organization=world.org2)
    assert other_team_question not in builder.search_bank(world.team_set)
    with pytest.raises(SetError):
        builder.add_question(world.team_set, other_team_question)


def test_items_are_reordered_and_removed(world, client):
    login(client, world.manager1)
    first, second = world.team_set.items.order_by("order")
    client.post(reverse("item_down", args=[world.team_set.pk, first.pk]))
    assert list(world.team_set.items.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(reverse("item_up", args=[world.team_set.pk, second.pk]))  # already first: no change
    assert list(world.team_set.items.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(reverse("item_remove", args=[world.team_set.pk, first.pk]))
    assert list(world.team_set.items.values_list("pk", flat=True)) == [second.pk]


def _edit_post(prompt, criteria):
    data = {
        "prompt": prompt,
        "reference_answer": "A new reference.",
        "difficulty": 3,
        "numeric_answer": "",
        "numeric_tolerance": "",
        "criteria-TOTAL_FORMS": len(criteria),
        "criteria-INITIAL_FORMS": 0,
    }
    for i, (text, points) in enumerate(criteria):
        data[f"criteria-{i}-text"], data[f"criteria-{i}-points"] = text, points
    return data


def test_editing_a_bank_question_makes_a_team_copy_and_leaves_the_bank_and_transcripts_alone(world, client):
    login(client, world.manager1)
    item = world.team_set.items.get(question=world.answer_a.question)
    bank_question = item.question
    original_prompt = bank_question.prompt
    response = client.post(
        reverse("question_edit", args=[world.team_set.pk, item.pk]),
        _edit_post("Edited: explain bias and variance.", [("Names both terms.", 3), ("Gives a remedy.", 2)]),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    bank_question.refresh_from_db()
    assert bank_question.prompt == original_prompt  # the shared bank is unchanged
    assert item.question.organization == world.org1 and item.question.forked_from == bank_question
    assert item.question.rubric() == [("Names both terms.", 3), ("Gives a remedy.", 2)]
    # v1 is the copy as forked, v2 the edit: the history shows what the team changed.
    assert list(item.question.versions.values_list("prompt", flat=True)) == [
        original_prompt,
        "Edited: explain bias and variance.",
    ]
    # Candidate A's attempt is a frozen copy: it still holds the original question...
    assert world.answer_a.question == bank_question
    # ...and the transcript shows what A saw.
    login(client, world.reviewer1)
    page = client.get(reverse("transcript", args=[world.session_a.pk]))
    assert original_prompt.encode() in page.content and b"Edited: explain" not in page.content


def test_editing_a_team_question_versions_it_marks_grades_outdated_and_bulk_regrade_uses_the_new_rubric(
    world, client, django_capture_on_commit_callbacks, enqueued
):
    answer = world.answer_a
    team_question = QuestionFactory(organization=world.org1, prompt="Team question v1")
    # Swap the team question into A's attempt to make it answered under v1.
    answer.question.answers.update(question=team_question, question_version=QuestionVersion.snapshot(team_question))
    frozen_item = world.session_a.question_set.items.get(question=answer.question)
    frozen_item.question = team_question
    frozen_item.save()
    item = builder.add_question(world.team_set, team_question)
    answer.refresh_from_db()
    answer.grades.update(rubric_version=team_question.rubric_version())
    builder.edit_question(item, QuestionEdit("Team question v2", "ref", 2, [("Only criterion", 5)]), world.manager1)
    team_question.refresh_from_db()
    assert team_question.prompt == "Team question v2"
    assert list(team_question.versions.values_list("number", "prompt")) == [
        (1, "Team question v1"),
        (2, "Team question v2"),
    ]
    answer.refresh_from_db()
    assert answer.asked.prompt == "Team question v1"  # the transcript keeps v1

    login(client, world.manager1)
    results_page = client.get(reverse("set_results", args=[world.team_set.pk]))
    assert results_page.context["outdated"] == 1
    from hiring.services.results import regrade_outdated

    with django_capture_on_commit_callbacks(execute=True):
        assert regrade_outdated(world.team_set, world.manager1) == 1
    assert len(enqueued) == 1
    run_grade(enqueued[0])
    newest = answer.grades.order_by("-pk").first()
    assert newest.criteria[0]["criterion"] == "Only criterion" and newest.requested_by == world.manager1
    assert answer.grades.count() == 2  # the old grade stays as history
    assert client.get(reverse("set_results", args=[world.team_set.pk])).context["outdated"] == 0


def test_llm_proposals_must_be_approved_before_use(world, client):
    from interviews.models import Posting, Requirement

    posting = Posting.objects.create(owner=world.manager1, title="P", raw_text="x")
    requirement = Requirement.objects.create(posting=posting, text="Knows Triton", order=0)
    world.team_set.posting = posting
    world.team_set.save()
    proposal = QuestionFactory(
        status=Question.Status.PROPOSED, origin=Question.Origin.GENERATED, source_requirement=requirement
    )
    with pytest.raises(SetError):
        builder.add_question(world.team_set, proposal)
    login(client, world.manager1)
    client.post(reverse("item_add", args=[world.team_set.pk]), {"question": proposal.pk})
    assert not world.team_set.items.filter(question=proposal).exists()
    client.post(reverse("proposal_approve", args=[world.team_set.pk, proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Question.Status.APPROVED and proposal.organization == world.org1
    assert world.team_set.items.filter(question=proposal).exists()
    assert proposal not in Question.objects.usable()  # the team's own: not in the public bank


PERF_POSTING = (
    "Performance Engineer\nRequirements:\n- CUDA kernels and profiling\n"
    "- Sound judgement when trading off rigour against delivery speed\n"
)


def test_proposals_written_for_the_sets_posting_wait_on_the_set_page_for_approval(
    bank, world, client, llm_stub, settings
):
    from interviews.planning.generate import generate_for_posting
    from tests.interviews.test_generation import generated

    stub_url, settings.LLM_BASE_URL = settings.LLM_BASE_URL, ""  # analyse the posting offline
    question_set = builder.create_set(world.org1, world.manager1, "Perf", posting_text=PERF_POSTING, questions=2)
    settings.LLM_BASE_URL = stub_url
    llm_stub.reply_json(generated())
    assert generate_for_posting(question_set.posting_id).created == 1
    proposal = builder.proposals_for(question_set).get()
    login(client, world.manager1)
    page = client.get(reverse("set_detail", args=[question_set.pk]))
    assert b"throughput model" in page.content and b"Approve and add" in page.content
    assert not question_set.items.filter(question=proposal).exists()
    client.post(reverse("proposal_discard", args=[question_set.pk, proposal.pk]))
    assert not Question.objects.filter(pk=proposal.pk).exists()


def test_without_an_llm_the_set_page_says_questions_cannot_be_proposed(world, client, settings):
    from interviews.models import Posting

    settings.LLM_BASE_URL = ""
    world.team_set.posting = Posting.objects.create(owner=world.manager1, title="P", raw_text="x")
    world.team_set.save()
    login(client, world.manager1)
    response = client.post(reverse("set_generate", args=[world.team_set.pk]), follow=True)
    assert b"No LLM is configured" in response.content
