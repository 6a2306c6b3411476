"""Where a team member lands: their teams' work first (sets and results for owners and
managers, the review queue for reviewers), with their own practice one link away."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Membership, Organization, User
from hiring.rules import MANAGING_ROLES
from hiring.services.overrides import in_review_order
from interviews.models import QuestionSet


@dataclass
class TeamWork:
    organization: Organization
    role: str
    role_label: str
    to_review: int
    sets: list[QuestionSet] = field(default_factory=list)

    @property
    def manages(self) -> bool:
        return self.role in MANAGING_ROLES


@login_required
@require_GET
def team_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # behind @login_required
    memberships = list(
        Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")
    )
    sets = (
        QuestionSet.objects.filter(organization__in=[m.organization_id for m in memberships], template=None)
        .annotate(
            n_questions=Count("items", distinct=True),
            invited=Count("invites", distinct=True),
            started=Count("invites", filter=Q(invites__session__isnull=False), distinct=True),
            finished=Count("invites", filter=Q(invites__session__finished_at__isnull=False), distinct=True),
        )
        .order_by("-created_at")
    )
    teams = {
        m.organization_id: TeamWork(
            organization=m.organization,
            role=m.role,
            role_label=m.get_role_display(),
            to_review=in_review_order(m.organization).count(),
        )
        for m in memberships
    }
    for question_set in sets:
        teams[question_set.organization_id].sets.append(question_set)  # type: ignore[index]
    return render(request, "hiring/team_home.html", {"teams": list(teams.values())})
