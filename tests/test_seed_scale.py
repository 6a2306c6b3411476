"""seed_scale on PostgreSQL: the sizes asked for, rows that point at real rows (it writes
with the foreign-key triggers off), summary rows as the app keeps them, and the pages of
the busiest people render. Timings are `make bench-scale`'s business, not the tests'."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import Client, override_settings

from accounts.models import Organization, User
from hiring.models import AssessmentInvite, ReviewQueueEntry, ScoreOverride
from interviews.models import Answer, DailyScore, Grade, InterviewSession, QuestionSet, SkillScore

SIZES = {"candidates": 30, "answers": 900, "teams": 3, "sets": 5, "attempts": 40}

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_scale writes with COPY")


def _dangling_keys() -> list[str]:
    """Foreign keys of the app's tables that point at no row."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey) or model._meta.app_label not in {
                "accounts", "interviews", "hiring", "account",
            }:  # fmt: skip
                continue
            target = field.related_model._meta
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT count(*) FROM "{model._meta.db_table}" t LEFT JOIN "{target.db_table}" r '
                    f'ON t."{field.column}" = r."{target.pk.column}" '
                    f'WHERE t."{field.column}" IS NOT NULL AND r."{target.pk.column}" IS NULL'
                )
                if cursor.fetchone()[0]:
                    found.append(f"{model._meta.label}.{field.name}")
    return found


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_seed_scale_builds_the_sizes_asked_for_with_consistent_rows_and_pages_that_render():
    call_command("seed_scale", *[f"--{k}={v}" for k, v in SIZES.items()])
    assert User.objects.filter(email__startswith="candidate", email__endswith="@scale.invalid").count() == 30
    assert Answer.objects.count() == 900
    assert Organization.objects.filter(slug__startswith="scale-team-").count() == 3
    assert QuestionSet.objects.filter(organization__isnull=False, template=None).count() == 5
    attempts = InterviewSession.objects.filter(mode=InterviewSession.Mode.ASSESSMENT)
    assert attempts.count() == 40
    assert AssessmentInvite.objects.filter(session__in=attempts).count() == 40
    # Every answer graded, its counted grade its own and the newest done one; overrides likewise.
    assert not Answer.objects.filter(counted_grade=None).exists()
    assert not Answer.objects.exclude(counted_grade__answer=models.F("pk")).exists()
    newest = Grade.objects.filter(answer=models.OuterRef("pk")).order_by("-pk").values("pk")[:1]
    assert not Answer.objects.exclude(counted_grade=models.Subquery(newest)).exists()
    assert not Answer.objects.filter(override__isnull=False).exclude(override__answer=models.F("pk")).exists()
    assert (
        ScoreOverride.objects.exists()
        and not Answer.objects.filter(override__isnull=False, session__mode=InterviewSession.Mode.PRACTICE).exists()
    )
    # Frozen attempt sets belong to the team, as accepting an invitation makes them.
    assert not QuestionSet.objects.filter(template__isnull=False, organization=None).exists()
    assert _dangling_keys() == []
    # The summary rows are the ones the app would have kept.
    kept = (
        sorted(SkillScore.objects.values_list("user_id", "skill_id", "answers")),
        sorted(DailyScore.objects.values_list("user_id", "day", "answers")),
        sorted(ReviewQueueEntry.objects.values_list("answer_id", "priority", "gap")),
    )
    from hiring.services import review_entries
    from interviews.progress import summary

    summary.rebuild()
    review_entries.rebuild()
    assert kept == (
        sorted(SkillScore.objects.values_list("user_id", "skill_id", "answers")),
        sorted(DailyScore.objects.values_list("user_id", "day", "answers")),
        sorted(ReviewQueueEntry.objects.values_list("answer_id", "priority", "gap")),
    )
    assert (
        sum(DailyScore.objects.values_list("answers", flat=True))
        == Answer.objects.filter(session__mode=InterviewSession.Mode.PRACTICE).count()
    )
    # The pages people open often, for the busiest of them, as `make bench-scale` opens them.
    from bench.scale import pages_and_people, seeded_report

    report = seeded_report()
    assert report is not None and report["sizes"] == SIZES
    pages, people = pages_and_people(report)
    with override_settings(ROOT_URLCONF="bench.urls"):  # the bench's floor page too
        for name, (url, persona) in pages.items():
            client = Client()
            client.force_login(people[persona])
            assert client.get(url).status_code == 200, name
    # A second run refuses rather than doubling the data.
    with pytest.raises(CommandError, match="already holds seeded users"):
        call_command("seed_scale", *[f"--{k}={v}" for k, v in SIZES.items()])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
@pytest.mark.django_db
def test_seed_scale_refuses_sqlite_with_a_clear_message():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", "--answers=10")
