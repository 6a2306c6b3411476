"""Emails leave the request: a worker sends them, with retries on mail-server failures."""

from celery import shared_task

from accounts.invitations import SEND_ERRORS
from config.celery import Task


@shared_task(
    base=Task,
    queue="email",  # its own queue: a mail server that is slow or down never delays a grade
    autoretry_for=SEND_ERRORS,
    retry_backoff=30,  # 30 s, 60 s, 120 s, ... (with jitter): a mail server back within minutes
    retry_backoff_max=600,
    max_retries=5,
    time_limit=120,
)
def send_invitation_email(label: str, pk: int, link: str) -> bool:
    from accounts import invitations

    return invitations.send_email(label, pk, link)
