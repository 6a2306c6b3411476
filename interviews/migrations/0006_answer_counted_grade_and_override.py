"""The grade that counts for an answer, and a reviewer's override on top, as stored facts.

Backfill: the newest finished grade of each answer (a regrade still queued, running or
failed leaves the previous grade counting, as it now does for new grades), and its
newest review, in the order the results pages read them (newest created, then id)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
import django.db.models.deletion


def backfill(apps, schema_editor):
    Answer = apps.get_model("interviews", "Answer")
    Grade = apps.get_model("interviews", "Grade")
    HumanReview = apps.get_model("hiring", "HumanReview")
    newest_done = Grade.objects.filter(answer=OuterRef("pk"), status="done").order_by("-pk").values("pk")[:1]
    newest_review = HumanReview.objects.filter(answer=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
    Answer.objects.update(counted_grade=Subquery(newest_done), override=Subquery(newest_review))


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0005_question_coding_files"),
        ("hiring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="counted_grade",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="interviews.grade",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="override",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="hiring.humanreview",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
