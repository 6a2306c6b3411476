"""The team's real postings, read at test time and never copied into the repository.

They sit in a `shared/postings` folder beside the checkout, or beside the folder that holds
several worktrees; tests that need them skip cleanly where they are absent."""

from pathlib import Path

import pytest

POSTINGS = next(
    (p / "shared" / "postings" for p in Path(__file__).resolve().parents if (p / "shared" / "postings").is_dir()),
    Path("/nonexistent/shared/postings"),
)


def posting_path(name: str) -> Path:
    path = POSTINGS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
