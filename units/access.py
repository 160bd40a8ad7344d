"""Who sees what: the one place that decides visibility (DESIGN.md "Units and scoping").

Every queryset of unit-owned data goes through :func:`for_user`; every single-object
lookup through :func:`get_for_user`. A model says how it reaches the unit tree with a
class attribute ``ACCESS_PATH`` (the lookup of the owning unit's path, e.g.
``"unit__path"``); ``Unit`` itself uses ``"path"``.

Out of scope answers 404 (nothing about the object leaks); visible but not allowed
answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from units.models import Grant, Role, Unit

VIEW = "view"  # read
REPORT = "report"  # enter records and reports for the unit, submit them
REVIEW = "review"  # review, return, approve, re-score
STEER = "steer"  # configure periods, templates, criteria; compile and export
MANAGE_UNITS = "manage_units"  # create and edit agencies and hamlets
MANAGE_ACCOUNTS = "manage_accounts"  # create accounts, grant and revoke roles

ACTIONS = (VIEW, REPORT, REVIEW, STEER, MANAGE_UNITS, MANAGE_ACCOUNTS)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.REPORTER: frozenset({VIEW, REPORT}),
    Role.REVIEWER: frozenset({VIEW, REVIEW, MANAGE_UNITS}),
    Role.STEERING: frozenset({VIEW, REVIEW, STEER, MANAGE_UNITS, MANAGE_ACCOUNTS}),
    Role.ADMIN: frozenset(ACTIONS),
}

ACTION_LABELS = {
    VIEW: "Xem dữ liệu",
    REPORT: "Nhập liệu và gửi báo cáo",
    REVIEW: "Thẩm định, trả lại, phê duyệt",
    STEER: "Cấu hình kỳ báo cáo, tổng hợp, xuất Excel",
    MANAGE_UNITS: "Quản lý cơ quan, thôn/tổ dân phố",
    MANAGE_ACCOUNTS: "Quản lý tài khoản, phân quyền",
}


@dataclass(frozen=True)
class Scope:
    """The unit paths under which ``user`` may do ``action``; ``everything`` for superusers."""

    everything: bool
    paths: tuple[str, ...]

    def q(self, path_field: str) -> Q:
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        q = Q()
        for path in self.paths:
            q |= Q(**{f"{path_field}__startswith": path})
        return q

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)


def grants_of(user) -> list[Grant]:
    """The user's grants, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_qcdc_grants", None)
    if cached is None:
        cached = list(Grant.objects.filter(user=user).select_related("unit"))
        user._qcdc_grants = cached
    return cached


def forget(user) -> None:
    """Drop the cached grants (after granting or revoking in the same request)."""
    if hasattr(user, "_qcdc_grants"):
        del user._qcdc_grants


def scope(user, action: str) -> Scope:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(False, ())
    if user.is_superuser:
        return Scope(True, ())
    paths = {g.unit.path for g in grants_of(user) if action in ROLE_ACTIONS[g.role]}
    # Drop paths already covered by a shorter one, so the SQL stays small.
    kept = tuple(sorted(p for p in paths if not any(p != o and p.startswith(o) for o in paths)))
    return Scope(False, kept)


def can(user, action: str, unit: Unit | None = None) -> bool:
    """May ``user`` do ``action`` on ``unit`` (or anywhere, when ``unit`` is None)?"""
    s = scope(user, action)
    if unit is None:
        return s.everything or bool(s.paths)
    return s.covers(unit.path)


def _path_fields(model: type[Model]) -> tuple[str, ...]:
    """How rows of ``model`` reach the tree: ``ACCESS_PATH`` and, for rows that a second
    unit may also see (a petition transferred to the competent level), ``ACCESS_PATHS``."""
    return getattr(model, "ACCESS_PATHS", None) or (getattr(model, "ACCESS_PATH", "path"),)


def for_user(user, action: str, queryset: QuerySet | None = None) -> QuerySet:
    """Only the rows of ``queryset`` (default: all units) that ``user`` may ``action``."""
    qs = Unit.objects.all() if queryset is None else queryset
    s = scope(user, action)
    if s.everything:
        return qs
    fields = _path_fields(qs.model)
    if len(fields) == 1:
        return qs.filter(s.q(fields[0]))
    q = Q(pk__in=[])
    for field in fields:
        q |= s.q(field)
    # A second path goes through a nullable relation: keep rows distinct.
    return qs.filter(pk__in=qs.model.objects.filter(q).values("pk"))


def get_for_user(user, action: str, queryset: QuerySet, **lookup):
    """One object: 404 when the user cannot see it, 403 when seen but ``action`` is not allowed."""
    visible = for_user(user, VIEW, queryset)
    try:
        obj = visible.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != VIEW and not for_user(user, action, queryset.filter(pk=obj.pk)).exists():
        raise PermissionDenied
    return obj


def require(user, action: str, unit: Unit) -> None:
    """404 when ``unit`` is out of the user's sight, 403 when seen but ``action`` is not allowed."""
    if not can(user, VIEW, unit):
        raise Http404
    if not can(user, action, unit):
        raise PermissionDenied


def accounts_for(user) -> QuerySet:
    """Accounts ``user`` may manage: those holding at least one grant inside their scope."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    s = scope(user, MANAGE_ACCOUNTS)
    if s.everything:
        return User.objects.all()
    grants = Grant.objects.filter(s.q(Grant.ACCESS_PATH))
    return User.objects.filter(pk__in=grants.values("user_id"))


def get_account_for_user(user, pk):
    try:
        return accounts_for(user).get(pk=pk)
    except (ValueError, TypeError, accounts_for(user).model.DoesNotExist):
        raise Http404 from None


def manages_every_grant_of(user, account) -> bool:
    """True when every grant ``account`` holds lies inside ``user``'s account-management scope."""
    s = scope(user, MANAGE_ACCOUNTS)
    if s.everything:
        return True
    if account.is_superuser:
        return False
    return not Grant.objects.filter(user=account).exclude(s.q(Grant.ACCESS_PATH)).exists()


def holds_admin(user) -> bool:
    return user.is_superuser or any(g.role == Role.ADMIN for g in grants_of(user))


def may_revoke(user, grant: Grant) -> bool:
    """An admin grant is revoked only by an admin; other grants by any account manager in scope."""
    return grant.role != Role.ADMIN or holds_admin(user)
