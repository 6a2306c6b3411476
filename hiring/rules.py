"""Who may see and change a hiring team's sets, assessments and transcripts: every
object-level decision for the hiring pages is made here, through `user.has_perm`.

Objects are reduced to their organisation; a candidate's practice sessions and sets
belong to no organisation, so no team member ever sees them."""

from typing import Any

import rules

from accounts.models import Membership, Organization
from accounts.rules import is_staff
from interviews.models import Answer, InterviewSession, QuestionSet

MANAGING_ROLES = {Membership.Role.OWNER, Membership.Role.MANAGER}


def organization_of(obj: Any) -> Organization | None:
    if isinstance(obj, Organization):
        return obj
    if isinstance(obj, QuestionSet):
        return obj.organization
    if isinstance(obj, InterviewSession):
        # Only assessments are the team's business; a candidate's own practice never is.
        return obj.question_set.organization if obj.is_assessment else None
    if isinstance(obj, Answer):
        return organization_of(obj.session)
    return None


def _role(user: Any, obj: Any) -> str | None:
    organization = organization_of(obj)
    if organization is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organization=organization).values_list("role", flat=True).first()


@rules.predicate
def is_team_member(user: Any, obj: Any) -> bool:
    return _role(user, obj) is not None


@rules.predicate
def is_team_manager(user: Any, obj: Any) -> bool:
    return _role(user, obj) in MANAGING_ROLES


# Reading a team's sets, results, transcripts and agreement: any member.
rules.add_perm("hiring.view_results", is_team_member | is_staff)
# Building sets, editing questions, inviting candidates, bulk regrades: owners and managers.
rules.add_perm("hiring.manage_sets", is_team_manager | is_staff)
# Overriding an automatic grade: any member (reviewers' main job; managers may too).
rules.add_perm("hiring.override_score", is_team_member | is_staff)
