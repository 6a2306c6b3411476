"""The old status "draft" meant two things; the migration that split it tells a retired
bank question from a generated one waiting for approval by the question's origin."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interviews.models import Question


def _split_migration() -> tuple[tuple[str, str], tuple[str, str]]:
    """The migration that split the status, and the one before it (names vary by tree)."""
    loader = MigrationExecutor(connection).loader
    [split] = [
        key for key in loader.disk_migrations if key[0] == "interviews" and key[1].endswith("_vocabulary_renames")
    ]
    [before] = [p.key for p in loader.graph.node_map[split].parents if p.key[0] == "interviews"]
    return before, split


@pytest.mark.django_db(transaction=True)
def test_old_drafts_become_retired_bank_questions_or_proposed_generated_ones():
    before, _ = _split_migration()
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("interviews", "Question")
    for slug, origin, status in [
        ("removed-from-the-files", "bank", "draft"),
        ("gen-written-by-the-llm", "generated", "draft"),
        ("still-in-the-files", "bank", "approved"),
    ]:
        old.objects.create(slug=slug, prompt="p", reference_answer="r", origin=origin, status=status)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    statuses = dict(Question.objects.values_list("slug", "status"))
    assert statuses == {
        "removed-from-the-files": Question.Status.RETIRED,
        "gen-written-by-the-llm": Question.Status.PROPOSED,
        "still-in-the-files": Question.Status.APPROVED,
    }
