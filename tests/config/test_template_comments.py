"""Django's {# ... #} comment ends on its own line: one that runs over several lines is not a
comment and its text shows on the page (it once showed at the top of every page)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
UNCLOSED = re.compile(r"\{#(?!.*#\})")


def test_every_one_line_comment_closes_on_its_line():
    found = {
        f"{path.relative_to(TEMPLATES)}:{number}": line.strip()
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNCLOSED.search(line)
    }
    assert found == {}
