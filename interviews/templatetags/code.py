"""Filters for coding answers: per-case results out of a code grade's criteria, and
tracebacks trimmed to their end (where the candidate's error is)."""

import json
import re
from typing import Any

from django import template

register = template.Library()

CASE_LABEL = re.compile(r"^Case (?P<name>.+) \((?P<visibility>visible|hidden)\) passes$")
TRACEBACK_LINES = 12


@register.filter
def code_cases(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A code grade's criteria (interviews.grading.coding) as cases: name, visibility, points
    and, for visible cases, the inputs, expected and actual values and the traceback."""
    cases = []
    for c in criteria or []:
        found = CASE_LABEL.match(str(c.get("criterion", "")))
        try:
            evidence = json.loads(c.get("evidence") or "{}")
        except ValueError:
            evidence = {}
        cases.append(
            {
                "name": found["name"] if found else c.get("criterion", ""),
                "visible": bool(found and found["visibility"] == "visible"),
                "passed": c.get("points", 0) >= c.get("max_points", 0) > 0,
                "earned": c.get("points", 0),
                "points": c.get("max_points", 0),
                "status": c.get("feedback", ""),
                **{k: evidence.get(k, "") for k in ("inputs", "expected", "actual", "traceback")},
            }
        )
    return cases


@register.filter
def tail_lines(text: str, lines: int = TRACEBACK_LINES) -> str:
    parts = (text or "").rstrip().splitlines()
    if len(parts) <= lines:
        return "\n".join(parts)
    return "…\n" + "\n".join(parts[-lines:])
