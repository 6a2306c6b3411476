from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from interviews.grading import calibration
from interviews.grading.datasets import read_csv
from interviews.grading.evaluation import agreement, fit_on, offline_features, offline_scores


class Command(BaseCommand):
    help = "Fit the offline grader's calibration on labelled CSV files and write calibration.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--csv", required=True, type=Path, action="append", help="repeatable")
        parser.add_argument("--name", default="", help="recorded as fitted_on")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [row for path in options["csv"] for row in read_csv(path)]
        self.stdout.write(f"Extracting features of {len(rows)} answers...")
        features = offline_features(rows, progress=lambda i: self.stdout.write(f"  {i}/{len(rows)}"))
        fitted = fit_on(rows, features, options["name"] or "+".join(p.stem for p in options["csv"]))
        fitted.save()
        calibration.current.cache_clear()
        fit = agreement(offline_scores(rows, features, fitted), [r.score for r in rows], "offline (training fit)")
        self.stdout.write(f"Saved {calibration.CALIBRATION_FILE.name}: {fit.as_json()}")
