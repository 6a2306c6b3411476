"""Pin every existing answer to a version holding its question's current content, so
edits from now on never change what an earlier transcript shows."""

import hashlib

from django.db import migrations


def snapshot(apps, schema_editor):
    Answer = apps.get_model("interviews", "Answer")
    QuestionVersion = apps.get_model("interviews", "QuestionVersion")
    Question = apps.get_model("interviews", "Question")
    for question in Question.objects.filter(answers__isnull=False).distinct():
        content = {
            "prompt": question.prompt,
            "reference_answer": question.reference_answer,
            "criteria": [{"text": c.text, "points": c.points} for c in question.criteria.order_by("order")],
            "numeric_answer": question.numeric_answer,
            "numeric_tolerance": question.numeric_tolerance,
            "numeric_unit": question.numeric_unit,
        }
        digest = hashlib.sha256(repr(sorted(content.items())).encode()).hexdigest()
        version, _ = QuestionVersion.objects.get_or_create(
            question=question, content_hash=digest, defaults={"number": 1, **content}
        )
        Answer.objects.filter(question=question, question_version=None).update(question_version=version)


class Migration(migrations.Migration):
    dependencies = [("interviews", "0002_question_versions_and_assessments")]

    operations = [migrations.RunPython(snapshot, migrations.RunPython.noop)]
