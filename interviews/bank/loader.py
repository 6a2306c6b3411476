"""The authored question bank lives in YAML content files beside this module.

`load_bank()` is idempotent: skills and questions are matched by slug, and a question is
rewritten only when its file entry changed (tracked by a content hash)."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from interviews import safe_yaml
from interviews.bank.bulk import NewQuestion, create_questions, rewrite_question
from interviews.bank.coding_loader import CodingReport, read_coding, sync_coding
from interviews.models import Question, Skill, SkillArea

BANK_DIR = Path(__file__).resolve().parent
SKILLS_FILE = BANK_DIR / "skills.yaml"
QUESTIONS_DIR = BANK_DIR / "questions"

KINDS = {"concept", "design", "behavioural", "numeric", "coding"}
REQUIRED_KEYS = {"slug", "kind", "difficulty", "skills", "prompt", "reference_answer", "rubric"}


class BankError(ValueError):
    pass


@dataclass
class LoadReport:
    skills: int
    created: int
    updated: int
    unchanged: int
    retired: int = 0
    # Executable questions (interviews/bank/coding/), counted apart from the text ones.
    coding: CodingReport = field(default_factory=CodingReport)


def read_skills() -> list[dict[str, Any]]:
    return safe_yaml.load(SKILLS_FILE.read_text(encoding="utf-8"))


def read_questions() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        for entry in safe_yaml.load(path.read_text(encoding="utf-8")) or []:
            entry["_file"] = path.name
            entries.append(entry)
    return entries


def validate(areas: list[dict[str, Any]], questions: list[dict[str, Any]]) -> list[str]:
    """Every problem in the content files, as messages naming the file and slug."""
    errors: list[str] = []
    skill_slugs: set[str] = set()
    for area in areas:
        for skill in area.get("skills", []):
            if skill["slug"] in skill_slugs:
                errors.append(f"skills.yaml: duplicate skill {skill['slug']}")
            skill_slugs.add(skill["slug"])
            if not skill.get("synonyms"):
                errors.append(f"skills.yaml: {skill['slug']} has no synonyms")
    seen: set[str] = set()
    for q in questions:
        where = f"{q.get('_file')}: {q.get('slug', '?')}"
        missing = REQUIRED_KEYS - q.keys()
        if missing:
            errors.append(f"{where}: missing {sorted(missing)}")
            continue
        if q["slug"] in seen:
            errors.append(f"{where}: duplicate slug")
        seen.add(q["slug"])
        if q["kind"] not in KINDS:
            errors.append(f"{where}: unknown kind {q['kind']!r}")
        if not isinstance(q["difficulty"], int) or not 1 <= q["difficulty"] <= 5:
            errors.append(f"{where}: difficulty must be an integer 1-5")
        unknown = set(q["skills"]) - skill_slugs
        if not q["skills"] or unknown:
            errors.append(f"{where}: unknown or missing skills {sorted(unknown)}")
        if not str(q["prompt"]).strip() or not str(q["reference_answer"]).strip():
            errors.append(f"{where}: empty prompt or reference answer")
        rubric = q["rubric"] or []
        if not 3 <= len(rubric) <= 6:
            errors.append(f"{where}: rubric needs 3-6 criteria, has {len(rubric)}")
        for criterion in rubric:
            points = criterion.get("points")
            if not str(criterion.get("text", "")).strip() or not isinstance(points, int) or not 1 <= points <= 3:
                errors.append(f"{where}: bad criterion {criterion!r}")
        if q["kind"] == "numeric":
            answer = q.get("answer") or {}
            if not isinstance(answer.get("value"), int | float) or not isinstance(answer.get("tolerance"), int | float):
                errors.append(f"{where}: numeric question needs answer.value and answer.tolerance")
            elif answer["tolerance"] < 0:
                errors.append(f"{where}: negative tolerance")
            elif not _states(q["reference_answer"], answer["value"], answer["tolerance"]):
                errors.append(f"{where}: the reference answer never states the key {answer['value']}")
    return errors


# Bumped when the loader maps entries to rows differently, so every question is re-synced.
LOADER_VERSION = 2


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _states(text: str, value: float, tolerance: float) -> bool:
    """Whether the text states a number within tolerance of value (the key and the worked
    answer must agree)."""
    for token in NUMBER.findall(text):
        try:
            if abs(float(token.replace(",", "")) - value) <= max(tolerance, 1e-9):
                return True
        except ValueError:
            continue
    return False


def _hash(entry: dict[str, Any]) -> str:
    clean = {k: v for k, v in entry.items() if not k.startswith("_")}
    clean["_loader"] = LOADER_VERSION
    return hashlib.sha256(json.dumps(clean, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def load_bank() -> LoadReport:
    areas = read_skills()
    questions = read_questions()
    errors = validate(areas, questions)
    coding, coding_errors = read_coding()
    known_skills = {s["slug"] for area in areas for s in area.get("skills", [])}
    for spec, _ in coding:
        unknown = set(spec.skills) - known_skills
        if not spec.skills or unknown:
            coding_errors.append(f"coding/{spec.slug}: unknown or missing skills {sorted(unknown)}")
    taken = {q.get("slug") for q in questions}
    coding_errors += [
        f"coding/{spec.slug}: slug also used by a text question" for spec, _ in coding if spec.slug in taken
    ]
    errors += coding_errors
    if errors:
        raise BankError("The question bank has errors:\n" + "\n".join(errors))

    skills: dict[str, Skill] = {}
    for order, area_entry in enumerate(areas):
        area, _ = SkillArea.objects.update_or_create(
            slug=area_entry["area"], defaults={"name": area_entry["name"], "order": order}
        )
        for entry in area_entry["skills"]:
            skill, _ = Skill.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "area": area,
                    "description": entry.get("description", ""),
                    "synonyms": entry.get("synonyms", []),
                    "weak_synonyms": entry.get("weak_synonyms", []),
                },
            )
            skills[skill.slug] = skill

    existing = {q.slug: q for q in Question.objects.filter(slug__in=[e["slug"] for e in questions])}
    updated = unchanged = 0
    new: list[NewQuestion] = []
    for entry in questions:
        digest = _hash(entry)
        question = existing.get(entry["slug"])
        if question and question.content_hash == digest:
            unchanged += 1
            continue
        answer = entry.get("answer") or {}
        fields = {
            "prompt": entry["prompt"].strip(),
            "kind": entry["kind"],
            "difficulty": entry["difficulty"],
            "reference_answer": entry["reference_answer"].strip(),
            "numeric_answer": answer.get("value"),
            "numeric_tolerance": answer.get("tolerance"),
            "numeric_unit": answer.get("unit", ""),
            "origin": Question.Origin.BANK,
            "status": Question.Status.APPROVED,
            "content_hash": digest,
            "primary_skill": skills[entry["skills"][0]],
        }
        rubric = [(c["text"].strip(), c["points"]) for c in entry["rubric"]]
        question_skills = [skills[slug] for slug in entry["skills"]]
        if question is None:
            new.append((Question(slug=entry["slug"], **fields), question_skills, rubric))
            continue
        rewrite_question(question, fields, question_skills, rubric)
        updated += 1
    create_questions(new)
    created = len(new)
    # A question deleted from the files may still have answers: keep the row, stop planning it.
    retired = (
        Question.objects.filter(origin=Question.Origin.BANK, status=Question.Status.APPROVED)
        .exclude(slug__in=[e["slug"] for e in questions] + [spec.slug for spec, _ in coding])
        .update(status=Question.Status.RETIRED)
    )
    coding_report = sync_coding(coding, skills)
    return LoadReport(
        skills=len(skills),
        created=created,
        updated=updated,
        unchanged=unchanged,
        retired=retired,
        coding=coding_report,
    )
