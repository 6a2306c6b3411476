"""Where each role lands after logging in, and team postings kept out of practice."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from hiring.models import AssessmentInvite
from interviews.models import Posting, QuestionSet
from tests.factories import PASSWORD, PostingFactory
from tests.hiring.conftest import login


def test_a_manager_lands_on_the_teams_sets_and_results(world, client):
    login(client, world.manager1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("team_home")
    page = client.get(reverse("team_home")).content.decode()
    assert world.team_set.title in page and reverse("set_results", args=[world.team_set.pk]) in page
    assert reverse("review_queue", args=[world.org1.slug]) in page
    assert world.other_set.title not in page  # another team's set
    assert f'href="{reverse("dashboard")}">Practice</a>' in page  # the practice dashboard is one link away


def test_a_reviewer_lands_on_the_review_queue_with_what_waits(world, client):
    login(client, world.reviewer1)
    page = client.get(reverse("home"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("team_home")
    html = page.content.decode()
    assert "Open the review queue" in html and reverse("review_queue", args=[world.org1.slug]) in html
    [team] = page.context["teams"]
    assert team.to_review == 1  # candidate A's graded answer


def test_a_candidate_lands_on_the_practice_dashboard(world, client):
    login(client, world.candidate_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and "interviews/home.html" in [t.name for t in response.templates]
    assert b">Practice</a>" not in response.content


def test_logging_in_takes_a_manager_to_their_teams_work(world, client):
    response = client.post(reverse("account_login"), {"login": world.manager1.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("team_home")


def test_a_member_who_is_also_a_candidate_sees_their_assessment_and_reaches_practice(world, client):
    AssessmentInvite.objects.create(question_set=world.other_set, email=world.reviewer1.email)
    login(client, world.reviewer1)
    page = client.get(reverse("team_home")).content.decode()
    assert "Assessments waiting for you" in page and world.other_set.title in page
    PostingFactory(owner=world.reviewer1, title="My own practice posting")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200 and b"My own practice posting" in dashboard.content


def test_a_signed_in_non_member_gets_an_empty_team_page_not_an_error(world, client):
    login(client, world.candidate_b)
    page = client.get(reverse("team_home"))
    assert page.status_code == 200 and b"not a member of a hiring team" in page.content


def test_the_team_page_runs_a_fixed_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, world.manager1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("team_home")).status_code == 200
        return len(context)

    few = queries()
    for n in range(3):
        QuestionSet.objects.create(title=f"Extra {n}", organization=world.org1)
    assert queries() == few


def test_postings_of_team_sets_stay_out_of_the_managers_practice(world, client):
    team_posting = Posting.objects.create(owner=world.manager1, title="Team posting", raw_text="x")
    world.team_set.posting = team_posting
    world.team_set.save()
    own = PostingFactory(owner=world.manager1, title="Manager's own practice")
    assert list(Posting.objects.for_practice(world.manager1)) == [own]
    login(client, world.manager1)
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["postings"] == [own]
    progress = client.get(reverse("progress"))
    assert [r.posting for r in progress.context["readiness"]] == [own]


@pytest.mark.django_db
def test_the_seeded_manager_has_no_practice_postings_and_the_invite_is_a_full_url(
    bank, capsys, monkeypatch, client, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("BACKPROP_PORT", "8123")
    monkeypatch.setenv("PORT", "5000")  # honcho's, never the web server's
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Demo assessment for the candidate: http://127.0.0.1:8123/assessments/" in out
    assert "http://127.0.0.1:8123/assessments/" in mailoutbox[-1].body  # the emailed link too
    manager = User.objects.get(email="manager@demo.backprop.dev")
    assert Posting.objects.filter(owner=manager).exists()  # the set builder saved the team's posting
    assert not Posting.objects.for_practice(manager).exists()
    client.login(email=manager.email, password="backprop-demo")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["postings"] == [] and dashboard.context["next_step"] is None
    assert b"ready for" not in dashboard.content
