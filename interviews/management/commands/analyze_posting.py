import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.postings.analysis import analyze
from interviews.postings.text import PostingTextError


def read_posting(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
    return data.decode("utf-8", errors="replace")


class Command(BaseCommand):
    help = "Extract requirements, skills and seniority from a posting file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--offline", action="store_true", help="never call the LLM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            analysis = analyze(read_posting(options["path"]), use_llm=False if options["offline"] else None)
        except PostingTextError as exc:
            raise CommandError(str(exc)) from exc
        data = analysis.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{analysis.title} ({analysis.seniority}, {analysis.method})")
        for i, r in enumerate(analysis.requirements):
            skills = ", ".join(f"{m.slug} {m.weight:.2f}" for m in r.skills) or "-"
            self.stdout.write(f"{i:>3} [{r.section}] {r.text}\n      {skills}")
