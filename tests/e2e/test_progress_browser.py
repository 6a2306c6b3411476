"""The progress page in headless Chromium: mastery as an estimate with its range; a trend once there is one."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Answer, Grade
from tests.factories import (
    PASSWORD,
    InterviewSessionFactory,
    QuestionFactory,
    QuestionSetFactory,
    SkillFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def graded(user, question, score, days_ago=0):
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    answer = Answer.objects.create(
        session=session, question=question, text="an answer", submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=score).count()


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (1280, "dark"), (390, "dark")])
def test_mastery_is_drawn_as_an_estimate_with_its_range_and_scores_as_a_trend(live_server, browser, width, scheme):
    user = UserFactory()
    sql, pandas = SkillFactory(slug="sql", name="SQL"), SkillFactory(slug="pandas", name="pandas")
    for days_ago, score in enumerate([4, 3, 5]):
        graded(user, QuestionFactory(skills=[sql], difficulty=3), score, days_ago=days_ago)
    graded(user, QuestionFactory(skills=[pandas], difficulty=2), 1)

    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email:").fill(user.email)
        page.get_by_label("Password:").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.goto(f"{live_server.url}/progress/")
        expect(page.locator("html[data-charts-ready='1']")).to_have_count(1)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"progress-{width}-{scheme}.png", full_page=True)

        datasets = page.evaluate(
            "Chart.getChart('mastery-chart').data.datasets.map(d => ({label: d.label, data: d.data}))"
        )
        [mean] = [d["data"] for d in datasets if not isinstance(d["data"][0], list)]
        [spread] = [d["data"] for d in datasets if isinstance(d["data"][0], list)]
        assert len(datasets) == 2
        assert all(low < m < high for m, (low, high) in zip(mean, spread, strict=True))
        # The range is drawn over the bar: one floating bar per skill, from low to high.
        drawn = page.evaluate(
            """() => { const chart = Chart.getChart('mastery-chart');
                return chart.getDatasetMeta(1).data.map(bar => ({base: bar.base, x: bar.x})); }"""
        )
        assert len(drawn) == 2 and all(bar["x"] > bar["base"] for bar in drawn)
        assert page.evaluate("Chart.getChart('history-chart').data.datasets[0].data.length") == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
