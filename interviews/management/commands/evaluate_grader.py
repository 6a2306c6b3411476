import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.grading.datasets import read_csv
from interviews.grading.evaluation import evaluate


class Command(BaseCommand):
    help = "Agreement of a grader with human scores in a CSV (question, reference_answer, answer, score, ...)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--csv", required=True, type=Path)
        parser.add_argument("--grader", choices=["offline", "llm"], default="offline")
        parser.add_argument("--cv-groups", metavar="COLUMN", help="refit the calibration leaving each group out")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_csv(options["csv"], group_column=options["cv_groups"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read {options['csv']}: {exc}") from exc
        if not rows:
            raise CommandError("The CSV has no rows.")
        result = evaluate(rows, options["grader"], cv_groups=bool(options["cv_groups"]))
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self.stdout.write(
                f"n={result.n} pearson={result.pearson:.3f} spearman={result.spearman:.3f} "
                f"rmse={result.rmse:.3f} qwk={result.qwk:.3f} ({result.grader})"
            )
