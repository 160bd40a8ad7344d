"""Who sees and who configures criteria sets (the rules are public; drafts are the steering's).

Criteria sets are not unit-owned data: every signed-in user may read a published (or retired)
set. A draft is seen only by those who may configure sets of its province: STEER on the
province (``access.can``), or a superuser for a national set (province None). Writing —
create, edit, publish, copy, import — needs the same right. Out of sight answers 404, visible
but not allowed 403, as everywhere (units/access.py).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from criteria.models import CriteriaSet
from units import access
from units.models import Unit, UnitKind


def may_steer(user, province: Unit | None) -> bool:
    """May ``user`` configure the criteria sets of ``province`` (None: national sets)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if province is None:
        return user.is_superuser
    return access.can(user, access.STEER, province)


def may_configure_any(user) -> bool:
    """May ``user`` configure criteria sets somewhere (open the create and import pages)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or steerable_provinces(user).exists()


def steerable_provinces(user) -> QuerySet:
    """The provinces whose criteria sets ``user`` configures."""
    return access.for_user(user, access.STEER, Unit.objects.filter(kind=UnitKind.PROVINCE)).order_by("name")


def visible_sets(user) -> QuerySet:
    """Published and retired sets for every signed-in user; drafts for those who configure them."""
    qs = CriteriaSet.objects.select_related("province")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(~Q(status=CriteriaSet.Status.DRAFT) | Q(province__in=access.for_user(user, access.STEER)))


def get_set(user, pk, *, steer: bool = False) -> CriteriaSet:
    """One set: 404 when out of sight, 403 when ``steer`` is asked and the user may only read it."""
    try:
        criteria_set = visible_sets(user).get(pk=pk)
    except (CriteriaSet.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if steer and not may_steer(user, criteria_set.province):
        raise PermissionDenied
    return criteria_set
