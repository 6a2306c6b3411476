"""Candidate assessments: invitations by email, one attempt on a frozen copy of the set,
a server-side deadline, and the paste/focus events the browser reports."""

from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts import audit, invitations
from accounts.invitations import InvitationError
from accounts.models import User
from hiring.models import AssessmentEvent, AssessmentInvite
from interviews.models import InterviewSession, Question, QuestionSet, QuestionSetItem

MAX_INVITES_AT_ONCE = 100


class AssessmentError(InvitationError):
    """The request cannot be met; the message is shown to the user."""


def parse_emails(raw: str) -> list[str]:
    """Addresses separated by commas, semicolons or new lines; each checked."""
    emails: list[str] = []
    for part in raw.replace(";", "\n").replace(",", "\n").splitlines():
        email = part.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise AssessmentError(f"{email[:80]!r} is not an email address.") from None
        if email not in emails:
            emails.append(email)
    if not emails:
        raise AssessmentError("Enter at least one email address.")
    if len(emails) > MAX_INVITES_AT_ONCE:
        raise AssessmentError(f"Invite at most {MAX_INVITES_AT_ONCE} candidates at once.")
    return emails


def check_ready(question_set: QuestionSet) -> None:
    if not question_set.items.exists():
        raise AssessmentError("Add questions to the set before inviting candidates.")
    if question_set.items.exclude(question__status=Question.Status.APPROVED).exists():
        raise AssessmentError("Approve or remove the proposed questions before inviting candidates.")


def invite_candidates(
    question_set: QuestionSet, raw_emails: str, invited_by: User, base_url: str
) -> list[AssessmentInvite]:
    """One invitation per address, each emailed its own link once the rows are committed."""
    check_ready(question_set)
    emails = parse_emails(raw_emails)
    earlier = AssessmentInvite.objects.filter(question_set=question_set, email__in=emails)
    attempted = sorted(set(earlier.filter(session__isnull=False).values_list("email", flat=True)))
    if attempted:  # one attempt per candidate and set
        raise AssessmentError(f"Already attempted this set: {', '.join(attempted)}.")
    with transaction.atomic():
        # A new link replaces any earlier unused one, so only one link per candidate works.
        earlier.filter(accepted_at=None, expires_at__gt=timezone.now()).update(expires_at=timezone.now())
        invites = [
            AssessmentInvite.objects.create(question_set=question_set, email=e, invited_by=invited_by) for e in emails
        ]
        for invite in invites:
            invitations.email_on_commit(invite, base_url)
            _audit(invite, invited_by, audit.Action.INVITATION_SENT)  # the label names the address
    return invites


@transaction.atomic
def resend(invite: AssessmentInvite, base_url: str, user: User) -> None:
    """Email the candidate's link again (after a failed send, or for one who lost it)."""
    invitations.resend(invite, base_url)
    _audit(invite, user, audit.Action.INVITATION_RESENT)


@transaction.atomic
def revoke(invite: AssessmentInvite, user: User) -> bool:
    """Make an unused link stop working; an attempt already started is never cancelled."""
    revoked = AssessmentInvite.objects.filter(pk=invite.pk, accepted_at=None, expires_at__gt=timezone.now()).update(
        expires_at=timezone.now()
    )
    if revoked:
        _audit(invite, user, audit.Action.INVITATION_REVOKED)
    return bool(revoked)


def _audit(invite: AssessmentInvite, user: User, action: str) -> None:
    question_set = invite.question_set
    assert question_set.organization is not None  # assessments are only ever of a team's set
    audit.record(question_set.organization, user, action, invite, label=f"{invite.email} to {question_set.title}")


def start(token: str, user: User) -> InterviewSession:
    """Start the one attempt (or reopen it, for the candidate who started it)."""
    return invitations.accept(AssessmentInvite, token, user, partial(_attempt, user))


def _attempt(user: User, invite: AssessmentInvite) -> InterviewSession:
    if invite.session is not None:
        return invite.session
    template = invite.question_set
    check_ready(template)
    frozen = QuestionSet.objects.create(
        title=template.title,
        organization=template.organization,
        posting=template.posting,
        time_limit_minutes=template.time_limit_minutes,
        template=template,
    )
    QuestionSetItem.objects.bulk_create(
        QuestionSetItem(question_set=frozen, question_id=item.question_id, order=i)
        for i, item in enumerate(template.items.order_by("order", "pk"))
    )
    now = timezone.now()
    limit = template.time_limit_minutes
    session = InterviewSession.objects.create(
        candidate=user,
        question_set=frozen,
        posting=template.posting,
        mode=InterviewSession.Mode.ASSESSMENT,
        started_at=now,
        deadline=now + timedelta(minutes=limit) if limit else None,
    )
    invite.session = session
    invite.save(update_fields=["session"])
    _audit(invite, user, audit.Action.INVITATION_ACCEPTED)  # the first start only: a reopen returned above
    return session


def record_event(session: InterviewSession, kind: str, question: Question | None, chars: int | None) -> bool:
    """Store one browser event; False when it is not one we record."""
    if not session.is_assessment or session.close_if_time_is_up() or kind not in AssessmentEvent.Kind.values:
        return False
    if session.events.count() >= AssessmentEvent.MAX_PER_SESSION:
        return False
    AssessmentEvent.objects.create(
        session=session,
        question=question,
        kind=kind,
        chars=max(0, min(chars, 10_000_000)) if kind == AssessmentEvent.Kind.PASTE and chars is not None else None,
    )
    return True
