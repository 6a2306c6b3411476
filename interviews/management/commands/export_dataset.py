from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.grading import datasets


class Command(BaseCommand):
    help = "Write a labelled dataset as CSV for evaluate_grader: golden, semeval-training or a SemEval test split."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "name",
            choices=["golden", "semeval-training", "semeval-test-unseen-questions", "semeval-test-unseen-answers"],
        )
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if name == "golden":
            rows = datasets.golden()
        else:
            if not datasets.semeval_available():
                raise CommandError(f"SemEval data not found at {datasets.SEMEVAL_DIR}")
            rows = datasets.semeval("training" if name == "semeval-training" else name.removeprefix("semeval-"))
        datasets.write_csv(rows, options["out"])
        self.stdout.write(f"{len(rows)} rows written to {options['out']}")
