# Teammate invitations get the expiry field assessment invitations already had
# (BaseInvitation): existing rows keep their old rule, created_at + 7 days.

from datetime import timedelta

import django.utils.timezone
from django.db import migrations, models


def expire_as_before(apps, schema_editor):
    Invitation = apps.get_model("accounts", "Invitation")
    for invitation in Invitation.objects.filter(expires_at=None).only("pk", "created_at"):
        invitation.expires_at = invitation.created_at + timedelta(days=7)
        invitation.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_verify_existing_email_addresses"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_as_before, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
