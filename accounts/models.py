import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """Email is the login; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]

    def mark_email_verified(self) -> None:
        """Record the login address as proved, as a confirmed email would: for accounts whose
        mail nobody reads (demo logins, tests)."""
        from allauth.account.models import EmailAddress

        address, _ = EmailAddress.objects.get_or_create(user=self, email=self.email.lower())
        address.set_verified()
        address.set_as_primary(conditional=True)


class Organization(models.Model):
    """A hiring team. Members see the organisation's question sets and transcripts."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="organizations")

    def __str__(self) -> str:
        return self.name

    def role_of(self, user: User) -> str | None:
        membership = self.memberships.filter(user=user).first()
        return membership.role if membership else None


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MANAGER = "manager", "Hiring manager"
        REVIEWER = "reviewer", "Reviewer"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.organization}"


def _token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


class BaseInvitation(models.Model):
    """A link for one email address: unguessable, expiring, used once. Teammate invitations
    and candidate assessment invitations are both this; accounts/invitations.py holds the
    accept flow and the landing page they share."""

    VALID_FOR = timedelta(days=7)
    # Whether an accepted link keeps working for its invitee: an assessment link reopens the
    # attempt it started, a teammate link is spent once accepted.
    REOPENS = False
    # Words for the messages: "This invitation is for ...; log in with that address to accept it."
    NOUN = "invitation"
    ACTION = "accept"
    # The URL name of the page the emailed link opens (it takes the token).
    LINK_URL_NAME = "accept_invitation"

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_token)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The email is sent by a Celery task after commit (accounts/tasks.py): when it last went out,
    # and why the last attempt failed, shown to the manager with a "Resend" button.
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.expires_at is None:
            self.expires_at = (self.created_at or timezone.now()) + self.VALID_FOR
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        """Ran out of time before anyone accepted it (or was revoked: expired on the spot)."""
        return self.accepted_at is None and timezone.now() >= self.expires_at

    def is_usable(self) -> bool:
        if self.accepted_at is not None:
            return self.REOPENS
        return not self.is_expired

    @property
    def send_failed(self) -> bool:
        """The last attempt to email the link failed and nothing has gone out since."""
        return bool(self.send_error) and self.sent_at is None

    def can_resend(self) -> bool:
        return self.accepted_at is None and not self.is_expired

    def email_message(self, link: str) -> tuple[str, str]:
        """The subject and body of the email that carries `link`."""
        raise NotImplementedError


class Invitation(BaseInvitation):
    """An invitation to join an organisation with a role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Membership.Role.choices, default=Membership.Role.REVIEWER)

    def __str__(self) -> str:
        return f"{self.email} to {self.organization} as {self.role}"

    def email_message(self, link: str) -> tuple[str, str]:
        return (
            f"Join {self.organization} on Backprop",
            f"{self.invited_by} invited you to {self.organization} as {self.get_role_display()}.\n\n"
            f"Accept within 7 days: {link}\n",
        )


class AuditEvent(models.Model):
    """One change to an organisation's sets, questions, grades, members or invitations: who
    made it, to what, and the fields it changed. Written by `accounts.audit.record` in the
    transaction of the change itself, so a change that rolls back leaves no event."""

    class Action(models.TextChoices):
        SET_CREATED = "set.created", "Set created"
        SET_UPDATED = "set.updated", "Set settings changed"
        SET_QUESTION_ADDED = "set.question_added", "Question added to a set"
        SET_QUESTION_REMOVED = "set.question_removed", "Question removed from a set"
        QUESTION_EDITED = "question.edited", "Question edited"
        QUESTION_MADE_PRIVATE = "question.made_private", "Question made private"
        QUESTION_APPROVED = "question.approved", "Proposed question approved"
        QUESTION_DISCARDED = "question.discarded", "Proposed question discarded"
        GRADE_OVERRIDDEN = "grade.overridden", "Grade overridden"
        GRADE_REGRADED = "grade.regraded", "Outdated grades regraded"
        MEMBERSHIP_ADDED = "membership.added", "Member added"
        MEMBERSHIP_ROLE_CHANGED = "membership.role_changed", "Member's role changed"
        MEMBERSHIP_REMOVED = "membership.removed", "Member removed"
        INVITATION_SENT = "invitation.sent", "Invitation sent"
        INVITATION_RESENT = "invitation.resent", "Invitation resent"
        INVITATION_REVOKED = "invitation.revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_events")
    # None for the system (seed data, a command); the email copy keeps the name once the user is gone.
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    # A plain label rather than a foreign key: the event outlives the row it describes.
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    # {"before": {field: value}, "after": {field: value}}, only the fields the change touched.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at", "-id"], name="audit_org_newest_first")]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_type} {self.target_id} by {self.actor_email or 'system'}"

    def change_lines(self) -> list[str]:
        """The changes as the log page prints them: "field: before → after"."""
        before, after = self.changes.get("before", {}), self.changes.get("after", {})
        lines = []
        for key in dict.fromkeys([*before, *after]):
            name = key.replace("_", " ")
            if key in before and key in after:
                lines.append(f"{name}: {_shown(before[key])} → {_shown(after[key])}")
            elif key in after:
                lines.append(f"{name}: {_shown(after[key])}")
            else:
                lines.append(f"{name} was: {_shown(before[key])}")
        return lines


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    return str(value)
