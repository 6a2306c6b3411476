import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.grading.base import GradingItem
from interviews.grading.registry import get_grader


class Command(BaseCommand):
    help = "Grade one answer from a JSON file with question, reference_answer, rubric (list) and answer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--item", required=True, type=Path)
        parser.add_argument("--grader", choices=["offline", "llm"], default="offline")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["item"].read_text(encoding="utf-8"))
            item = GradingItem(
                question=str(data["question"]),
                reference_answer=str(data["reference_answer"]),
                rubric=[
                    (c, 1) if isinstance(c, str) else (str(c["text"]), int(c.get("points", 1))) for c in data["rubric"]
                ],
                answer=str(data["answer"]),
                numeric_answer=data.get("numeric_answer"),
                numeric_tolerance=data.get("numeric_tolerance"),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot read the item: {exc}") from exc
        started = time.monotonic()
        result = get_grader(options["grader"]).grade(item)
        latency_ms = int((time.monotonic() - started) * 1000)  # the whole grade; LLM calls are part of it
        out = {
            "score": result.score,
            "grader": result.grader,
            "model": result.model_name,
            "confidence": result.confidence,
            "needs_review": result.needs_review,
            "fallback_reason": result.fallback_reason,
            "criteria": result.criteria_json(),
            "graded_by": result.graded_by,
            "summary": result.summary,
            "notes": result.notes,
            "tokens_in": result.tokens_in,
            "tokens_out": result.tokens_out,
            "cost_usd": result.cost_usd,
            "llm_calls": result.llm_calls,
            "latency_ms": latency_ms,
        }
        self.stdout.write(json.dumps(out, indent=2) if options["json"] else f"{result.score:.2f} / 5 ({result.grader})")
