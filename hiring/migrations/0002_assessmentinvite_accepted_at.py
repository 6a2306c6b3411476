# Assessment invitations record when they were accepted, like teammate invitations
# (BaseInvitation): for existing rows, when their attempt started.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def accepted_when_started(apps, schema_editor):
    AssessmentInvite = apps.get_model("hiring", "AssessmentInvite")
    InterviewSession = apps.get_model("interviews", "InterviewSession")
    started = InterviewSession.objects.filter(pk=OuterRef("session_id")).values("started_at")
    AssessmentInvite.objects.filter(session__isnull=False, accepted_at=None).update(accepted_at=Subquery(started))


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentinvite",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(accepted_when_started, migrations.RunPython.noop),
    ]
