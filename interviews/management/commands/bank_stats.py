import json
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from interviews.models import Question


class Command(BaseCommand):
    help = "Counts of usable questions by skill, kind and difficulty."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        questions = list(Question.objects.usable().prefetch_related("skills"))
        by_skill: Counter[str] = Counter(s.slug for q in questions for s in q.skills.all())
        stats = {
            "questions": len(questions),
            "by_skill": dict(sorted(by_skill.items())),
            "by_kind": dict(sorted(Counter(q.kind for q in questions).items())),
            "by_difficulty": {str(d): n for d, n in sorted(Counter(q.difficulty for q in questions).items())},
        }
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
            return
        self.stdout.write(f"{stats['questions']} questions")
        for section in ("by_kind", "by_difficulty", "by_skill"):
            self.stdout.write(f"\n{section.replace('_', ' ')}:")
            for key, count in stats[section].items():  # type: ignore[attr-defined]
                self.stdout.write(f"  {key:<24} {count}")
