"""Executable questions (`interviews/bank/coding/<slug>/`) into Question rows.

The files are stored on the question (and so in its versions), so a grade can be traced to
the exact cases, reference and checker it ran against, and a hiring team's edit is versioned
like a text question's. The cases become the rubric: one criterion per case, with its points.

They load approved: plans offer them where a posting asks for a coding skill
(`planning.plan.CODING_SKILLS`), and candidates answer them in the code editor."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from interviews.bank.bulk import NewQuestion, create_questions, rewrite_question
from interviews.execution.spec import CodingSpec, SpecError, build_spec, read_files
from interviews.execution.timing import performance_text
from interviews.models import Question, Skill

CODING_DIR = Path(__file__).resolve().parent / "coding"
# Bumped when the mapping from files to rows changes, so every coding question is re-synced.
CODING_LOADER_VERSION = 2


@dataclass
class CodingReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def question_dirs() -> list[Path]:
    if not CODING_DIR.is_dir():
        return []
    return sorted(p for p in CODING_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def read_coding() -> tuple[list[tuple[CodingSpec, dict[str, str]]], list[str]]:
    """Every question directory parsed, and every problem found (all of them, not the first)."""
    specs: list[tuple[CodingSpec, dict[str, str]]] = []
    errors: list[str] = []
    for directory in question_dirs():
        files = read_files(directory)
        try:
            specs.append((build_spec(directory.name, files, directory), files))
        except SpecError as exc:
            errors.append(f"coding/{exc}")
    return specs, errors


def criterion_text(case_name: str, visible: bool) -> str:
    return f"Case {case_name} ({'visible' if visible else 'hidden'}) passes"


def coding_rubric(spec: CodingSpec) -> list[tuple[str, int]]:
    """The rubric of an executable question, derived from its cases (and performance) so it
    can never disagree with what grading runs: one criterion per case, with its points."""
    rubric = [(criterion_text(c.name, c.visible), c.points) for c in spec.cases]
    if spec.performance is not None:
        rubric.append((performance_text(spec.performance.budget_ratio), spec.performance_points))
    return rubric


def _hash(files: dict[str, str]) -> str:
    payload = json.dumps({"files": files, "_loader": CODING_LOADER_VERSION}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def sync_coding(specs: list[tuple[CodingSpec, dict[str, str]]], skills: dict[str, Skill]) -> CodingReport:
    """Create or rewrite the coding questions whose files changed (call inside a transaction)."""
    report = CodingReport()
    new: list[NewQuestion] = []
    existing = {q.slug: q for q in Question.objects.filter(slug__in=[s.slug for s, _ in specs])}
    for spec, files in specs:
        digest = _hash(files)
        question = existing.get(spec.slug)
        if question and question.content_hash == digest:
            report.unchanged += 1
            continue
        fields = {
            "prompt": f"**{spec.title}**\n\n{spec.prompt}",
            "kind": Question.Kind.CODING,
            "difficulty": spec.difficulty,
            "reference_answer": spec.reference,
            "coding_files": files,
            "origin": Question.Origin.BANK,
            "content_hash": digest,
            "primary_skill": skills[spec.skills[0]],
        }
        rubric = coding_rubric(spec)
        question_skills = [skills[slug] for slug in spec.skills]
        if question is None:
            question = Question(slug=spec.slug, status=Question.Status.APPROVED, **fields)
            new.append((question, question_skills, rubric))
            continue
        rewrite_question(question, fields, question_skills, rubric)
        report.updated += 1
    create_questions(new)
    report.created = len(new)
    return report


def spec_of(question: Question) -> CodingSpec:
    """The executable spec a coding question (or one of its versions' files) describes."""
    return build_spec(question.slug, question.coding_files)
