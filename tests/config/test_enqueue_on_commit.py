"""One way to enqueue: `task.delay_on_commit(...)` from Celery's DjangoTask, set as the app's
task class, so a worker never looks for a row that is not committed yet."""

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from config.celery import Task, app
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "interviews", "hiring", "config")


def test_every_task_of_ours_has_delay_on_commit():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in APPS}
    assert "interviews.tasks.grade_answer" in ours and "interviews.tasks.generate_questions" in ours
    assert [name for name, task in ours.items() if not isinstance(task, Task)] == []


def test_no_code_enqueues_outside_a_commit_hook():
    """`.delay(`/`.apply_async(` inside a transaction would reach the worker before the row does."""
    direct = re.compile(r"\.(delay|apply_async)\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app_dir in APPS
        for path in (ROOT / app_dir).rglob("*.py")
        if "migrations" not in path.parts and path != ROOT / "config" / "celery.py"  # the one publish, after commit
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert offenders == []


@pytest.mark.django_db(transaction=True)
def test_proposing_questions_for_a_team_set_is_published_only_when_the_request_commits(client, published, settings):
    from tests.factories import MembershipFactory, PostingFactory, QuestionSetFactory

    settings.LLM_BASE_URL, settings.LLM_MODEL = "http://127.0.0.1:9/v1", "unused"  # configured, never called
    membership = MembershipFactory(role="manager")
    posting = PostingFactory(owner=membership.user)
    question_set = QuestionSetFactory(organization=membership.organization, posting=posting, owner=membership.user)
    client.login(email=membership.user.email, password=PASSWORD)

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        client.post(reverse("set_generate", args=[question_set.pk]))
        raise RolledBack
    assert published == []

    client.post(reverse("set_generate", args=[question_set.pk]))
    assert published == [("interviews.tasks.generate_questions", (posting.pk,))]


@pytest.mark.django_db(transaction=True)
def test_question_drafting_goes_to_the_llm_queue_which_a_procfile_worker_serves(client, published, settings):
    """Drafting takes minutes on a local model: it must not wait in, or hold up, the grading queue."""
    from celery.signals import after_task_publish

    from tests.factories import MembershipFactory, PostingFactory, QuestionSetFactory

    settings.LLM_BASE_URL, settings.LLM_MODEL = "http://127.0.0.1:9/v1", "unused"  # configured, never called
    membership = MembershipFactory(role="manager")
    question_set = QuestionSetFactory(
        organization=membership.organization, posting=PostingFactory(owner=membership.user), owner=membership.user
    )
    client.login(email=membership.user.email, password=PASSWORD)
    queues: list[str] = []

    def record(sender=None, routing_key=None, **kwargs):
        queues.append(routing_key)

    after_task_publish.connect(record, weak=False)
    try:
        client.post(reverse("set_generate", args=[question_set.pk]))
    finally:
        after_task_publish.disconnect(record)
    assert [name for name, _ in published] == ["interviews.tasks.generate_questions"]
    assert queues == ["llm"]
    for name in ("Procfile", "Procfile.production"):
        procfile = (settings.BASE_DIR / name).read_text().splitlines()
        assert any(" worker " in line and "-Q llm " in line for line in procfile), name
