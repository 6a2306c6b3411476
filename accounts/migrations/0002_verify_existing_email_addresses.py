"""Accounts made while email verification was off keep working once it is mandatory.

Their login address is marked verified (an allauth EmailAddress row is created where none
exists, e.g. for `createsuperuser` accounts), so nobody is sent a confirmation email at
their next login or locked out of an account whose mailbox has since gone. This trusts
addresses registered before the change; invitations sent to such an address still need
the emailed link, which only its mailbox receives.
"""

from django.db import migrations


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user_id, raw_email in User.objects.exclude(email="").values_list("pk", "email").iterator(chunk_size=2000):
        email = raw_email.lower()
        addresses = list(EmailAddress.objects.filter(user_id=user_id))
        address = next((a for a in addresses if a.email.lower() == email), None)
        if address is not None and address.verified:
            continue
        if EmailAddress.objects.filter(email=email, verified=True).exclude(user_id=user_id).exists():
            continue  # another account has proved this address; it stays theirs
        if address is None:
            address = EmailAddress(user_id=user_id, email=email, primary=not any(a.primary for a in addresses))
        address.verified = True
        address.save()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop)]
