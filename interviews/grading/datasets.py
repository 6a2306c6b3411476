"""Labelled answers for measuring and calibrating graders: CSV files, the team's golden
set, and SemEval-2013 Task 7 (read from ../shared/datasets/ when present, never copied)."""

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from interviews.bank.loader import read_questions
from interviews.grading.base import GradingItem

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEMEVAL_DIR = Path(settings.BASE_DIR).parent / "shared" / "datasets" / "semeval2013-task7"
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
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            q = bank[entry["question"]]
            answer = q.get("answer") or {}
            item = GradingItem(
                question=q["prompt"],
                reference_answer=q["reference_answer"],
                rubric=[(c["text"], c["points"]) for c in q["rubric"]],
                answer=entry["answer"],
                numeric_answer=answer.get("value"),
                numeric_tolerance=answer.get("tolerance"),
            )
            rows.append(Labelled(item=item, score=float(entry["score"]), group=entry["question"]))
    return rows


def semeval(split: str) -> list[Labelled]:
    """split: "training" or a test split such as "test-unseen-questions" (3-way labels)."""
    if split == "training":
        folders = sorted((SEMEVAL_DIR / "training" / "3way").glob("*"))
    else:
        folders = sorted((SEMEVAL_DIR / "test" / "3way").glob(f"*/{split}"))
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
                item = GradingItem(
                    question=question,
                    reference_answer=references[0],
                    rubric=[(r, 1) for r in references[:3]],
                    answer=student.text.strip(),
                )
                rows.append(Labelled(item=item, score=SEMEVAL_SCORES[label], group=root.get("id", path.stem)))
    return rows


def semeval_available() -> bool:
    return SEMEVAL_DIR.exists()
