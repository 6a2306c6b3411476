"""Labelled answers for measuring and calibrating graders: CSV files, the team's golden
set, and SemEval-2013 Task 7 (read from ../shared/datasets/ when present, never copied)."""

import csv
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from interviews import safe_yaml
from interviews.bank.loader import read_questions
from interviews.grading.base import GradingItem

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def _semeval_dir() -> Path:
    """SEMEVAL_DIR from the environment, else ../shared/datasets/ beside the checkout (or
    beside the folder of worktrees holding it)."""
    if os.environ.get("SEMEVAL_DIR"):
        return Path(os.environ["SEMEVAL_DIR"])
    base = Path(settings.BASE_DIR)
    candidates = [up / "shared" / "datasets" / "semeval2013-task7" for up in (base.parent, base.parent.parent)]
    return next((c for c in candidates if c.exists()), candidates[0])


SEMEVAL_DIR = _semeval_dir()
# SemEval 3-way labels -> 0-5. "incorrect" pools partially correct, irrelevant and
# off-domain answers, so it sits low but above "contradictory" (states the opposite).
SEMEVAL_SCORES = {"correct": 5.0, "incorrect": 2.0, "contradictory": 0.0}


@dataclass
class Labelled:
    item: GradingItem
    score: float  # 0-5
    group: str


def rubric_from_reference(reference: str) -> list[tuple[str, int]]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", reference) if len(s.split()) >= 2]
    return [(s, 1) for s in sentences] or [(reference.strip(), 1)]


def read_csv(path: Path, group_column: str | None = None) -> list[Labelled]:
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            missing = {"question", "reference_answer", "answer", "score"} - row.keys()
            if missing:
                raise ValueError(f"{path}: missing columns {sorted(missing)}")
            max_score = float(row.get("max_score") or 5)
            rubric_text = (row.get("rubric") or "").strip()
            rubric = [(c.strip(), 1) for c in rubric_text.splitlines() if c.strip()] or rubric_from_reference(
                row["reference_answer"]
            )
            item = GradingItem(
                question=row["question"], reference_answer=row["reference_answer"], rubric=rubric, answer=row["answer"]
            )
            group = row.get(group_column or "group") or f"row-{line}"
            rows.append(Labelled(item=item, score=5.0 * float(row["score"]) / max_score, group=group))
    return rows


def write_csv(rows: list[Labelled], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["question", "reference_answer", "rubric", "answer", "score", "group"]
        )
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    "question": row.item.question,
                    "reference_answer": row.item.reference_answer,
                    "rubric": "\n".join(text for text, _ in row.item.rubric),
                    "answer": row.item.answer,
                    "score": row.score,
                    "group": row.group,
                }
            )


def golden() -> list[Labelled]:
    """The team's golden set: answers to bank questions with a careful human grade."""
    bank = {q["slug"]: q for q in read_questions()}
    rows = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        for entry in safe_yaml.load(path.read_text(encoding="utf-8")) or []:
            q = bank[entry["question"]]
            answer = q.get("answer") or {}
            item = GradingItem(
                question=q["prompt"],
                reference_answer=q["reference_answer"],
                rubric=[(c["text"], c["points"]) for c in q["rubric"]],
                answer=entry["answer"],
                numeric_answer=answer.get("value"),
                numeric_tolerance=answer.get("tolerance"),
                numeric_unit=answer.get("unit", ""),
            )
            rows.append(Labelled(item=item, score=float(entry["score"]), group=entry["question"]))
    return rows


def semeval(split: str, corpus: str = "*") -> list[Labelled]:
    """split: "training" or a test split such as "test-unseen-questions" (3-way labels);
    corpus: "beetle", "sciEntsBank" or "*" for both."""
    if split == "training":
        folders = sorted((SEMEVAL_DIR / "training" / "3way").glob(corpus))
    else:
        folders = sorted((SEMEVAL_DIR / "test" / "3way").glob(f"{corpus}/{split}"))
    rows = []
    for folder in folders:
        for path in sorted(folder.glob("*.xml")):
            root = ET.parse(path).getroot()
            question = root.findtext("questionText", "").strip()
            references = [r.text.strip() for r in root.iter("referenceAnswer") if r.text]
            if not references:
                continue
            for student in root.iter("studentAnswer"):
                label = student.get("accuracy", "")
                if label not in SEMEVAL_SCORES or not student.text:
                    continue
                # The reference answers are alternatives, not parts: one criterion (the
                # first, "best" reference), the others as related reference sentences.
                item = GradingItem(
                    question=question,
                    reference_answer="\n".join(references),
                    rubric=[(references[0], 1)],
                    answer=student.text.strip(),
                )
                group = f"{folder.parent.name if split != 'training' else folder.name}:{root.get('id', path.stem)}"
                rows.append(Labelled(item=item, score=SEMEVAL_SCORES[label], group=group))
    return rows


NAMES = ["golden"] + [
    f"semeval-{split}{corpus}"
    for split in ("training", "test-unseen-questions", "test-unseen-answers")
    for corpus in ("", "-beetle", "-sciEntsBank")
]


def named(name: str) -> list[Labelled]:
    """A dataset by name: "golden", or "semeval-<split>[-beetle|-sciEntsBank]"."""
    if name == "golden":
        return golden()
    if name not in NAMES:
        raise ValueError(f"unknown dataset {name!r}; one of {', '.join(NAMES)}")
    if not semeval_available():
        raise FileNotFoundError(f"SemEval data not found at {SEMEVAL_DIR}")
    rest = name.removeprefix("semeval-")
    corpus = "*"
    for suffix in ("-beetle", "-sciEntsBank"):
        if rest.endswith(suffix):
            rest, corpus = rest.removesuffix(suffix), suffix[1:]
    return semeval(rest, corpus)


def semeval_available() -> bool:
    return SEMEVAL_DIR.exists()
