"""Email backends for tests, named by settings.EMAIL_BACKEND."""

from smtplib import SMTPException

from django.core.mail.backends.locmem import EmailBackend


class FailingSMTPBackend(EmailBackend):
    """A mail server that refuses every message, as an unreachable SMTP relay does."""

    def send_messages(self, messages):
        raise SMTPException("550 relay refused by smtp.test")
