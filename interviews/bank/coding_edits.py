"""What a hiring team may change in an executable question, and what it may not.

A team edits what its candidates see and how the cases count: the starter code, each case's
points and visibility, and a performance question's time budget. The reference
implementation, the input generators, the custom checker and every case's inputs stay the
bank's: they run in the trusted grading process, outside the sandbox, so they are copied
from the question's files unchanged and never taken from a form."""

from dataclasses import dataclass

import yaml

from interviews import safe_yaml
from interviews.execution.spec import CodingSpec, SpecError, build_spec


@dataclass(frozen=True)
class CaseEdit:
    points: int
    visible: bool


@dataclass(frozen=True)
class CodingEdit:
    starter: str
    # By case name: every case of the question and no other (cases are never added or removed,
    # since a case's inputs are trusted content).
    cases: dict[str, CaseEdit]
    budget_ratio: float | None = None  # performance questions only


class _Dumper(yaml.SafeDumper):
    """Multi-line text (the prompt) as a `|` block, so a stored version reads like the bank file."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text.strip() else None
    ),
)


def edited_files(files: dict[str, str], slug: str, edit: CodingEdit | None = None) -> tuple[dict[str, str], CodingSpec]:
    """The question's files with the edit applied (and its slug set: a team's copy has a slug
    of its own, and the spec must name it), validated as the bank is. Raises SpecError."""
    raw = safe_yaml.load(files["question.yaml"])
    raw["slug"] = slug
    changed = dict(files)
    if edit is not None:
        cases = raw.get("cases") or []
        if sorted(edit.cases) != sorted(c["name"] for c in cases):
            raise SpecError(f"{slug}: an edit gives every case of the question its points, and no other case")
        for case in cases:
            case["points"], case["visible"] = edit.cases[case["name"]].points, edit.cases[case["name"]].visible
        if edit.budget_ratio is not None:
            if not raw.get("performance"):
                raise SpecError(f"{slug}: only a performance question has a time budget")
            raw["performance"]["budget_ratio"] = edit.budget_ratio
        changed["starter.py"] = edit.starter
    changed["question.yaml"] = yaml.dump(raw, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    return changed, build_spec(slug, changed)
