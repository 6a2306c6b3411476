import random
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.grading import calibration, datasets, entailment
from interviews.grading.evaluation import agreement, fit_on, offline_features, offline_scores, train_entailment


def sample(rows: list[datasets.Labelled], n: int) -> list[datasets.Labelled]:
    if not n or len(rows) <= n:
        return rows
    shuffled = list(rows)
    random.Random(0).shuffle(shuffled)
    return shuffled[:n]


class Command(BaseCommand):
    help = (
        "Fit the offline grader's calibration on labelled answers (named datasets and/or CSV files) "
        "and write calibration.json. Answers with SemEval's 3-way labels also train the entailment "
        "classifier (entailment.npz), out of fold for the calibration. "
        "Fit on training data only, never on the test splits."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--csv", type=Path, action="append", default=[], help="repeatable")
        parser.add_argument(
            "--dataset", action="append", default=[], choices=datasets.NAMES, help="repeatable, e.g. golden"
        )
        parser.add_argument(
            "--sample", type=int, default=0, help="at most this many answers per dataset (a seeded random sample)"
        )
        parser.add_argument("--name", default="", help="recorded as fitted_on")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["csv"] and not options["dataset"]:
            raise CommandError("Give at least one --dataset or --csv.")
        if any("test" in name for name in options["dataset"]):
            raise CommandError("Fit on training data only: the test splits measure the grader.")
        try:
            rows = [row for name in options["dataset"] for row in sample(datasets.named(name), options["sample"])]
            rows += [row for path in options["csv"] for row in datasets.read_csv(path)]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Extracting features of {len(rows)} answers...")
        features = offline_features(rows, progress=lambda i: self.stdout.write(f"  {i}/{len(rows)}"))
        trained = train_entailment(rows, features, progress=self.stdout.write)
        if trained:
            self.stdout.write(f"Trained the entailment classifier on {trained} answers: {entailment.WEIGHTS_FILE.name}")
        names = options["dataset"] + [p.stem for p in options["csv"]]
        fitted = fit_on(rows, features, options["name"] or "+".join(names))
        fitted.save()
        calibration.current.cache_clear()
        fit = agreement(offline_scores(rows, features, fitted), [r.score for r in rows], "offline (training fit)")
        self.stdout.write(f"Saved {calibration.CALIBRATION_FILE.name}: {fit.as_json()}")
