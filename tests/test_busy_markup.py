"""Every action that can take more than a second carries the busy markup that
static/js/busy.js and htmx act on (the browser behaviour is in tests/e2e/test_busy_indicators.py)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

SLOW_ACTIONS = [
    ("interviews/_posting_form.html", "posting_new", "Analysing…"),
    ("interviews/posting_detail.html", "interview_start", "Starting…"),
    ("interviews/_practice_form.html", "practice_start", "Starting…"),
    ("interviews/interview.html", "answer_submit", "Submitting…"),
    ("hiring/set_list.html", None, "Building the set…"),  # the set list posts to itself
    ("hiring/set_detail.html", "set_invite", "Sending…"),
    ("hiring/set_results.html", "set_regrade_outdated", "Regrading…"),
]


@pytest.mark.parametrize(("template", "url_name", "busy_label"), SLOW_ACTIONS)
def test_each_slow_action_marks_its_form_busy_and_relabels_its_button(template, url_name, busy_label):
    text = (TEMPLATES / template).read_text()
    forms = re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.DOTALL)
    if url_name:
        forms = [f for f in forms if re.search(rf"action=\"{{% url '{url_name}'", f)]
    form = next(f for f in forms if "data-busy-label" in f)
    opening = form.split(">", 1)[0]
    assert 'method="post"' in opening and "data-busy" in opening
    assert f'data-busy-label="{busy_label}"' in form
    assert '<span class="spinner htmx-indicator" aria-hidden="true"></span>' in form


def test_the_busy_script_is_on_every_page():
    assert "js/busy.js" in (TEMPLATES / "base.html").read_text()
