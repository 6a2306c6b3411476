"""Fetching objects for the hiring pages through the rules in hiring/rules.py. A user
without the permission gets a 404, never a 403, so nothing confirms an object exists."""

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import Organization

M = TypeVar("M", bound=Model)


def get_allowed(request: HttpRequest, queryset: QuerySet[M], perm: str, **lookup: object) -> M:
    obj = get_object_or_404(queryset, **lookup)
    if not request.user.has_perm(perm, obj):
        raise Http404
    return obj


def organization_allowed(request: HttpRequest, slug: str, perm: str) -> Organization:
    return get_allowed(request, Organization.objects.all(), perm, slug=slug)


def url_by_pk(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` (what `{% url name pk %}` prints) for a table's many rows
    at the cost of one reverse: the tag resolves the pattern anew in every row, and only
    the pk differs."""
    marker = "4294967295"  # a pk no table reaches, so it appears once in the URL
    before, after = reverse(name, args=[marker]).split(marker)
    return lambda pk: f"{before}{pk}{after}"
