"""Shared pieces of the permission matrix (tests/test_permission_matrix.py).

The world: province P (districts X with commune A, Y with commune B), province Q
(district Z with commune D). Personas: reporters of A and B, reviewers of X and Y,
steering of P and Q, an admin of P, anonymous. Each app's rows put their objects under
commune A, so the expectations below are shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

PERSONAS = ["rep_a", "rep_b", "rev_x", "rev_y", "st_p", "st_q", "admin", "anon"]
ALL_SIGNED_IN = {p: 200 for p in PERSONAS if p != "anon"}
ANON_LOGIN = {"anon": 302}
API_ANON = {"anon": 403}
PUBLIC_PAGE = dict.fromkeys(PERSONAS, 200)
OWN_PAGE = {**ALL_SIGNED_IN, **ANON_LOGIN}
# Commune A and what hangs under it: visible to its reporter, district X, province P.
SEES_A = {"rep_a": 200, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
# Changed by those who may manage units there (reviewers, steering, admins).
MANAGES_A = {"rep_a": 403, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
# Records of commune A are entered by its reporter (and admins); the others only read them.
REPORTS_A = {"rep_a": 200, "rep_b": 404, "rev_x": 403, "rev_y": 404, "st_p": 403, "st_q": 404, "admin": 200}
# Anyone who may report somewhere may open a form for new records.
REPORTERS = {"rep_a": 200, "rep_b": 200, "rev_x": 403, "rev_y": 403, "st_p": 403, "st_q": 403, "admin": 200}


@dataclass
class Row:
    """One call of a route and what each persona must get."""

    url: Callable[[dict], str]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[dict], dict] = field(default=lambda w: {})
    writes: bool = False  # a denied call must leave the database unchanged; an allowed one must change it
    json: bool = False


def u(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def redirect_when_allowed(expect: dict[str, int]) -> dict[str, int]:
    """A successful form POST redirects: 200 in a GET table becomes 302."""
    return {k: (302 if v == 200 else v) for k, v in expect.items()}
