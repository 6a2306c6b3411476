import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.grading import calibration, datasets
from interviews.grading.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Agreement of a grader with human scores: a CSV (question, reference_answer, answer, score, ...) "
        "or a named dataset (golden, semeval-test-unseen-questions-beetle, ...)."
    )

    def add_arguments(self, parser: Any) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--csv", type=Path)
        source.add_argument("--dataset", choices=datasets.NAMES)
        parser.add_argument("--grader", choices=["offline", "llm"], default="offline")
        parser.add_argument("--cv-groups", metavar="COLUMN", help="refit the calibration leaving each group out")
        parser.add_argument(
            "--zero-shot", action="store_true", help="offline grader with the untrained default calibration"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["dataset"]:
                rows = datasets.named(options["dataset"])
            else:
                rows = datasets.read_csv(options["csv"], group_column=options["cv_groups"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read {options['csv'] or options['dataset']}: {exc}") from exc
        if not rows:
            raise CommandError("The dataset has no rows.")
        cal = calibration.DEFAULT if options["zero_shot"] else None
        result = evaluate(rows, options["grader"], cv_groups=bool(options["cv_groups"]), cal=cal)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            coverage = "" if result.coverage is None else f" interval-coverage={result.coverage:.3f}"
            llm = ""
            if result.fallback_rate is not None:
                llm = (
                    f" fallback-rate={result.fallback_rate:.3f} guarded={result.guarded}"
                    f" pearson-all-rows={result.pearson_all_rows:.3f}"
                )
            self.stdout.write(
                f"n={result.n} pearson={result.pearson:.3f} spearman={result.spearman:.3f} "
                f"rmse={result.rmse:.3f} qwk={result.qwk:.3f}{coverage}{llm} ({result.grader})"
            )
            if result.fallback_rate is not None and result.n < 2:
                self.stderr.write("The LLM graded fewer than 2 rows: no agreement figures (is the endpoint up?).")
