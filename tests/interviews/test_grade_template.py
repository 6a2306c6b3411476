"""How a finished grade's criteria read on the page."""

from types import SimpleNamespace

from django.template.loader import render_to_string


def test_criterion_points_are_never_rounded_up_to_full_marks():
    # 0.96 of 1 point is "Mostly covered"; shown as "1.0/1" it looked like full marks.
    criteria = [
        {"criterion": "Detects exact duplicates.", "points": 0.96, "max_points": 1, "feedback": "Mostly covered."},
        {"criterion": "Fixes the split.", "points": 2.0, "max_points": 2, "feedback": "Covered."},
    ]
    grade = SimpleNamespace(
        pk=1, is_pending=False, status="done", score=4.9, grader="offline", model_name="", criteria=criteria,
        criteria_by_other_graders=[], fallback_reason="", needs_review=False, summary="", answer=None,
    )  # fmt: skip
    html = render_to_string("interviews/_grade.html", {"grade": grade})
    assert "0.96/1" in html and "2/2" in html
    assert "1.0/1" not in html
