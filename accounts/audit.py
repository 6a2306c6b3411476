"""The organisation's audit log. Services call `record` where they make a change, inside the
change's transaction, so an event exists exactly when its change was committed. Owners read
the log newest first through `page_of`, a keyset page: no OFFSET scan however long it grows."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Model, Q

from accounts.models import AuditEvent, Organization, User

Action = AuditEvent.Action
PAGE_SIZE = 50
# Long text (a prompt, a reference answer, a comment) is cut: the log says what changed, the
# question's versions and the override history keep the full text.
MAX_TEXT = 200
MAX_ITEMS = 12
# Never stored, whoever passes them: an invitation link's token is a password.
SECRET_KEYS = frozenset({"token", "password", "link"})


def record(
    organization: Organization,
    actor: User | None,
    action: str,
    target: Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """Store one event. Call it inside the transaction of the change it describes (the
    service's `transaction.atomic`), after the change: a rollback then drops both."""
    changes = {}
    for side, values in (("before", before), ("after", after)):
        if values:
            if SECRET_KEYS & values.keys():
                raise ValueError(f"Secrets are never audited: {sorted(SECRET_KEYS & values.keys())}")
            changes[side] = {key: _small(value) for key, value in values.items()}
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor,
        actor_email=actor.email if actor is not None else "",
        action=action,
        target_type=str(target._meta.verbose_name),
        target_id=target.pk,
        target_label=(label or str(target))[:200],
        changes=changes,
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose value changed, as the before and after of `record`."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def _small(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    if isinstance(value, list | tuple):
        return [_small(item) for item in value[:MAX_ITEMS]]
    if isinstance(value, dict):
        return {key: _small(item) for key, item in value.items()}
    return value


@dataclass
class Page:
    events: list[AuditEvent]
    # The cursor of the next (older) page, or "" on the last page.
    next_cursor: str


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_of(event: AuditEvent) -> str:
    """Where the page after `event` starts: its time in whole microseconds and its id, the
    tiebreak for events made in the same microsecond."""
    return f"{(event.created_at - EPOCH) // timedelta(microseconds=1)}-{event.pk}"


def _parse(cursor: str) -> tuple[datetime, int] | None:
    micros, _, pk = cursor.partition("-")
    if not (micros.isdecimal() and pk.isdecimal()) or len(micros) > 18:
        return None
    return EPOCH + timedelta(microseconds=int(micros)), int(pk)


def page_of(organization: Organization, action: str = "", after: str = "", size: int = PAGE_SIZE) -> Page:
    """The events older than the `after` cursor (the newest when it is empty or malformed),
    optionally of one action, newest first."""
    events = AuditEvent.objects.filter(organization=organization)
    if action:
        events = events.filter(action=action)
    position = _parse(after)
    if position is not None:
        created_at, pk = position
        events = events.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    rows = list(events.order_by("-created_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, cursor_of(rows[-1]) if more else "")
