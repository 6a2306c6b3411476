"""The interview page in headless Chromium: Back and Forward, a second tab, and a phone-sized screen."""

from pathlib import Path

import pytest

from interviews.models import Answer
from tests.factories import PASSWORD, InterviewSessionFactory, QuestionFactory, QuestionSetFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTICE = "You already answered this question; your first answer was kept."


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Log out").wait_for()


def two_question_interview():
    user = UserFactory()
    questions = [
        QuestionFactory(prompt="Why does dropout regularise?"),
        QuestionFactory(prompt="What does weight decay change in the update?"),
    ]
    return user, InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=questions))


def test_back_then_forward_after_an_answer_shows_the_current_question(live_server, page):
    user, session = two_question_interview()
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.get_by_text("Question 1 of 2").wait_for()
    page.get_by_label("Your answer").fill("It averages an ensemble of thinned networks.")
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("Question 2 of 2").wait_for()

    page.go_back()
    page.wait_for_url(lambda url: "/interviews/" not in url)
    page.go_forward()
    page.get_by_text("Question 2 of 2").wait_for()
    assert page.get_by_text("Question 1 of 2").count() == 0
    assert page.get_by_label("Your answer").input_value() == ""


def test_answering_in_a_stale_second_tab_keeps_the_first_answer_and_says_so(live_server, new_page):
    user, session = two_question_interview()
    first_tab = new_page()
    log_in(first_tab, live_server, user)
    second_tab = first_tab.context.new_page()
    for tab in (first_tab, second_tab):
        tab.goto(f"{live_server.url}/interviews/{session.pk}/")
        tab.get_by_text("Question 1 of 2").wait_for()

    first_tab.get_by_label("Your answer").fill("It averages an ensemble of thinned networks.")
    first_tab.get_by_role("button", name="Submit answer").click()
    first_tab.get_by_text("Question 2 of 2").wait_for()

    second_tab.get_by_label("Your answer").fill("A later, different answer to question 1.")
    second_tab.get_by_role("button", name="Submit answer").click()
    second_tab.get_by_text(NOTICE).wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    second_tab.screenshot(path=SCREENSHOTS / "interview-already-answered.png")
    assert second_tab.get_by_text("Question 2 of 2").is_visible()
    assert Answer.objects.get().text == "It averages an ensemble of thinned networks."


WIDE_PROMPT = """`prof.key_averages(group_by_input_shape=True).table(sort_by="self_cuda_time_total", row_limit=20)`
for one training step shows (times in ms):

```
Name                                       Self CUDA  CUDA total  # Calls  Input shapes
aten::_scaled_dot_product_flash_attention       18.0        18.0       24  [[8, 16, 2048, 64], [8, 16, 2048, 64]]
aten::linear                                     0.0        41.0       96  [[8, 2048, 1024], [4096, 1024], [4096]]
```

| Name | Self CUDA (ms) | CUDA total (ms) | Calls | Input shapes | Self CPU (ms) | CPU total (ms) |
| --- | --- | --- | --- | --- | --- | --- |
| aten::_scaled_dot_product_flash_attention | 18.0 | 18.0 | 24 | [[8,16,2048,64],[8,16,2048,64]] | 1.9 | 2.4 |
| aten::addmm | 41.0 | 41.0 | 96 | [[4096],[16384,1024],[1024,4096]] | 3.1 | 3.8 |

Explain "self" versus "total" time and why `aten::linear` shows 0 ms self."""

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def layout(page) -> dict[str, float]:
    return page.evaluate(
        """() => {
            const button = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Log out');
            const style = getComputedStyle(button);
            return {width: document.documentElement.scrollWidth, logout: button.getBoundingClientRect().height,
                    line: parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize)};
        }"""
    )


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_code_and_tables_scroll_in_their_own_box_on_a_phone(live_server, browser, width, scheme):
    user = UserFactory()
    question = QuestionFactory(prompt=WIDE_PROMPT)
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    # At 390 px, a phone: touch, and the viewport meta tag honoured as on a real device.
    context = browser.new_context(
        viewport={"width": width, "height": 844}, color_scheme=scheme, is_mobile=width < 600, has_touch=width < 600
    )
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/interviews/{session.pk}/")
        page.get_by_text("Question 1 of 1").wait_for()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"interview-{width}-{scheme}.png", full_page=True)
        measured = layout(page)
        assert measured["width"] <= width
        assert measured["logout"] < 1.5 * measured["line"]  # one line, not two
        # The wide parts scroll inside their own boxes instead of widening the page.
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.prompt pre, .prompt .table-wrap')]
                .map(el => ({scrolls: el.scrollWidth > el.clientWidth, overflow: getComputedStyle(el).overflowX}))"""
        )
        assert len(boxes) == 2 and all(box["overflow"] == "auto" for box in boxes)
        if width == 390:
            assert all(box["scrolls"] for box in boxes)

        # Answered: the summary table quotes the prompt and the answer repeats the wide parts.
        page.get_by_label("Your answer").fill(WIDE_PROMPT)
        page.get_by_role("button", name="Submit answer").click()
        page.get_by_role("heading", name="Interview complete").wait_for()
        page.locator(".answered details summary").first.click()
        page.screenshot(path=SCREENSHOTS / f"interview-done-{width}-{scheme}.png", full_page=True)
        assert layout(page)["width"] <= width
    finally:
        context.close()


def test_a_refused_answer_survives_a_reload(live_server, page):
    """The server refuses binary text with a message (a 200, so htmx shows it); the page's
    local copy of the text must outlive that refusal, or a reload loses what was written."""
    user, session = two_question_interview()
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.get_by_label("Your answer").fill("Dropout averages thinned networks \x00 pasted from a binary file.")
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("This looks like binary data").wait_for()

    page.reload()
    page.get_by_text("Question 1 of 2").wait_for()
    assert "Dropout averages thinned networks" in page.get_by_label("Your answer").input_value()
    assert not Answer.objects.filter(session=session).exists()
