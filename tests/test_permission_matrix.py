"""Every URL and API route × every persona (DESIGN.md: "a parametrized matrix test covers
every URL and API route × persona, and a meta-test fails when a route is added without a
row in it"). Out of scope answers 404, visible but not allowed 403; a denied write
changes nothing in the database.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.boards import matrix_api as boards_matrix_api
from tests.boards import matrix_boards, matrix_projects, matrix_workplace
from tests.criteria import matrix_ranking, matrix_sets, matrix_sheets
from tests.dialogues import matrix_api, matrix_import, matrix_reception
from tests.dialogues import matrix_rows as dialogues_rows
from tests.factories import GrantFactory, UnitFactory, UserFactory
from tests.matrix import ALL_SIGNED_IN, ANON_LOGIN, API_ANON, MANAGES_A, OWN_PAGE, PERSONAS, PUBLIC_PAGE, SEES_A, Row, u
from tests.reports import matrix_api as reports_matrix_api
from tests.reports import matrix_compile, matrix_dashboard, matrix_progress, matrix_reports
from tests.reports import matrix_config as reports_matrix_config
from units.models import Grant, Unit, UnitKind


@pytest.fixture
def world(db):
    """The whole world: the base and every app's objects."""
    return build_world(APP_TABLES)


def build_world(modules):
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE)
    q = UnitFactory(name="Tỉnh Q", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    z = UnitFactory(name="Huyện Z", kind=UnitKind.DISTRICT, parent=q)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=y)
    d = UnitFactory(name="Xã D", kind=UnitKind.COMMUNE, parent=z)
    agency_a = UnitFactory(name="Trường Mầm non A", kind=UnitKind.PUBLIC_SERVICE, parent=a, staff_count=20)
    hamlet_a = UnitFactory(name="Xóm Chiềng", kind=UnitKind.HAMLET, official_type="thon", parent=a)
    users = {}
    for name, unit, role in [
        ("rep_a", a, "reporter"),
        ("rep_b", b, "reporter"),
        ("rev_x", x, "reviewer"),
        ("rev_y", y, "reviewer"),
        ("st_p", p, "steering"),
        ("st_q", q, "steering"),
        ("admin", p, "admin"),
    ]:
        users[name] = GrantFactory(user=UserFactory(username=name), unit=unit, role=role).user
    world = {
        "units": {
            "p": p,
            "q": q,
            "x": x,
            "y": y,
            "z": z,
            "a": a,
            "b": b,
            "d": d,
            "agency_a": agency_a,
            "hamlet_a": hamlet_a,
        },
        "users": users,
        "grant_rep_a": Grant.objects.get(user=users["rep_a"]),
    }
    for module in modules:
        module.extend_world(world)
    return world


def unit(key):
    return lambda w: w["units"][key].pk


def user(key):
    return lambda w: w["users"][key].pk


MANAGES_UNITS = {"rep_a": 403, "rep_b": 403, "rev_x": 200, "rev_y": 200, "st_p": 200, "st_q": 200, "admin": 200}
MANAGES_ACCOUNTS = {"rep_a": 403, "rep_b": 403, "rev_x": 403, "rev_y": 403, "st_p": 200, "st_q": 200, "admin": 200}
# The account of reporter A: reachable for account managers of province P only.
ACCOUNT_A = {"rep_a": 404, "rep_b": 404, "rev_x": 404, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}


def agency_payload(w):
    return {"name": "Phòng Văn hóa mới", "kind": "state_agency", "parent": w["units"]["a"].pk, "staff_count": 9}


def hamlet_payload(w):
    return {"name": "Xóm Mới", "official_type": "thon", "parent": w["units"]["a"].pk}


ROUTES: dict[str, list[Row]] = {
    # Site
    "login": [Row(u("login"), {**dict.fromkeys(PERSONAS, 302), "anon": 200})],
    "logout": [Row(u("logout"), dict.fromkeys(PERSONAS, 302), method="post")],
    "password_change": [Row(u("password_change"), OWN_PAGE)],
    "password_change_done": [Row(u("password_change_done"), OWN_PAGE)],
    "password_reset": [Row(u("password_reset"), PUBLIC_PAGE)],
    "password_reset_done": [Row(u("password_reset_done"), PUBLIC_PAGE)],
    "password_reset_confirm": [Row(u("password_reset_confirm", "MQ", "set-password"), PUBLIC_PAGE)],
    "password_reset_complete": [Row(u("password_reset_complete"), PUBLIC_PAGE)],
    "set_language": [
        Row(u("set_language"), dict.fromkeys(PERSONAS, 302), method="post", data=lambda w: {"language": "en"})
    ],
    "healthz": [Row(u("healthz"), PUBLIC_PAGE)],
    "home": [Row(u("home"), OWN_PAGE)],
    "my-scope": [Row(u("my-scope"), OWN_PAGE)],
    # Directory
    "unit-list": [Row(u("unit-list"), OWN_PAGE)],
    "unit-picker": [Row(u("unit-picker"), OWN_PAGE)],
    "unit-detail": [
        Row(u("unit-detail", unit("a")), {**SEES_A, **ANON_LOGIN}),
        Row(u("unit-detail", unit("agency_a")), {**SEES_A, **ANON_LOGIN}),
        Row(
            u("unit-detail", unit("p")),
            {
                "rep_a": 404,
                "rep_b": 404,
                "rev_x": 404,
                "rev_y": 404,
                "st_p": 200,
                "st_q": 404,
                "admin": 200,
                "anon": 302,
            },
        ),
    ],
    "unit-edit": [
        Row(u("unit-edit", unit("agency_a")), {**MANAGES_A, **ANON_LOGIN}),
        Row(u("unit-edit", unit("hamlet_a")), {**MANAGES_A, **ANON_LOGIN}),
        Row(
            u("unit-edit", unit("agency_a")),
            {**{k: (302 if v == 200 else v) for k, v in MANAGES_A.items()}, **ANON_LOGIN},
            method="post",
            data=lambda w: {
                "name": "Đổi tên",
                "kind": "public_service",
                "parent": w["units"]["a"].pk,
                "staff_count": 21,
            },
            writes=True,
        ),
    ],
    "agency-create": [
        Row(u("agency-create"), {**MANAGES_UNITS, **ANON_LOGIN}),
        # Reviewer Y and steering Q may create agencies, but not under commune A:
        # the form refuses the parent (200 with an error) and nothing is saved.
        Row(
            u("agency-create"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 302,
                "rev_y": 200,
                "st_p": 302,
                "st_q": 200,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=agency_payload,
            writes=True,
        ),
    ],
    "hamlet-create": [
        Row(u("hamlet-create"), {**MANAGES_UNITS, **ANON_LOGIN}),
        Row(
            u("hamlet-create"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 302,
                "rev_y": 200,
                "st_p": 302,
                "st_q": 200,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=hamlet_payload,
            writes=True,
        ),
    ],
    "unit-import": [Row(u("unit-import", "co-quan"), {**MANAGES_UNITS, **ANON_LOGIN})],
    "unit-import-template": [Row(u("unit-import-template", "thon"), {**MANAGES_UNITS, **ANON_LOGIN})],
    # Accounts
    "account-list": [Row(u("account-list"), {**MANAGES_ACCOUNTS, **ANON_LOGIN})],
    "account-create": [
        Row(u("account-create"), {**MANAGES_ACCOUNTS, **ANON_LOGIN}),
        Row(
            u("account-create"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 302,
                "st_q": 200,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=lambda w: {
                "username": "moi",
                "first_name": "Người Mới",
                "email": "moi@example.vn",
                "unit": w["units"]["a"].pk,
                "role": "reporter",
                "password1": "Mat-khau-rat-dai-2026",
                "password2": "Mat-khau-rat-dai-2026",
            },
            writes=True,
        ),
    ],
    "account-detail": [Row(u("account-detail", user("rep_a")), {**ACCOUNT_A, **ANON_LOGIN})],
    "account-toggle": [
        Row(
            u("account-toggle", user("rep_a")),
            {**{k: (302 if v == 200 else v) for k, v in ACCOUNT_A.items()}, **ANON_LOGIN},
            method="post",
            writes=True,
        )
    ],
    "grant-revoke": [
        Row(
            lambda w: reverse("grant-revoke", args=[w["grant_rep_a"].pk]),
            {
                "rep_a": 403,
                "rep_b": 404,
                "rev_x": 403,
                "rev_y": 404,
                "st_p": 302,
                "st_q": 404,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            writes=True,
        )
    ],
    # API
    "api-root": [Row(lambda w: "/api/v1/", {**ALL_SIGNED_IN, **API_ANON})],
    "api-me": [Row(u("api-me"), {**ALL_SIGNED_IN, **API_ANON})],
    "api-schema": [Row(u("api-schema"), {**ALL_SIGNED_IN, **API_ANON})],
    "api-docs": [Row(u("api-docs"), {**ALL_SIGNED_IN, **API_ANON})],
    "api-unit-list": [Row(lambda w: "/api/v1/units/", {**ALL_SIGNED_IN, **API_ANON})],
    "api-unit-detail": [Row(lambda w: f"/api/v1/units/{w['units']['a'].pk}/", {**SEES_A, **API_ANON})],
    "api-agency-list": [
        Row(lambda w: "/api/v1/agencies/", {**ALL_SIGNED_IN, **API_ANON}),
        Row(
            lambda w: "/api/v1/agencies/",
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 201,
                "rev_y": 400,
                "st_p": 201,
                "st_q": 400,
                "admin": 201,
                "anon": 403,
            },
            method="post",
            data=agency_payload,
            writes=True,
            json=True,
        ),
    ],
    "api-agency-detail": [
        Row(lambda w: f"/api/v1/agencies/{w['units']['agency_a'].pk}/", {**SEES_A, **API_ANON}),
        Row(
            lambda w: f"/api/v1/agencies/{w['units']['agency_a'].pk}/",
            {**MANAGES_A, **API_ANON},
            method="patch",
            data=lambda w: {"staff_count": 3},
            writes=True,
            json=True,
        ),
    ],
    "api-hamlet-list": [
        Row(lambda w: "/api/v1/hamlets/", {**ALL_SIGNED_IN, **API_ANON}),
        Row(
            lambda w: "/api/v1/hamlets/",
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 201,
                "rev_y": 400,
                "st_p": 201,
                "st_q": 400,
                "admin": 201,
                "anon": 403,
            },
            method="post",
            data=hamlet_payload,
            writes=True,
            json=True,
        ),
    ],
    "api-hamlet-detail": [
        Row(lambda w: f"/api/v1/hamlets/{w['units']['hamlet_a'].pk}/", {**SEES_A, **API_ANON}),
        Row(
            lambda w: f"/api/v1/hamlets/{w['units']['hamlet_a'].pk}/",
            {**MANAGES_A, **API_ANON},
            method="put",
            data=lambda w: {"name": "Xóm Chiềng Mới", "official_type": "thon", "parent": w["units"]["a"].pk},
            writes=True,
            json=True,
        ),
    ],
    "api-grant-list": [
        Row(lambda w: "/api/v1/grants/", {**ALL_SIGNED_IN, **API_ANON}),
        Row(
            lambda w: "/api/v1/grants/",
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 403,
                "rev_y": 403,
                "st_p": 201,
                "st_q": 400,
                "admin": 201,
                "anon": 403,
            },
            method="post",
            data=lambda w: {"user": w["users"]["rep_b"].pk, "unit": w["units"]["a"].pk, "role": "reporter"},
            writes=True,
            json=True,
        ),
    ],
    "api-grant-detail": [
        Row(
            lambda w: f"/api/v1/grants/{w['grant_rep_a'].pk}/",
            {
                "rep_a": 404,
                "rep_b": 404,
                "rev_x": 404,
                "rev_y": 404,
                "st_p": 200,
                "st_q": 404,
                "admin": 200,
                "anon": 403,
            },
        ),
        Row(
            lambda w: f"/api/v1/grants/{w['grant_rep_a'].pk}/",
            {
                "rep_a": 404,
                "rep_b": 404,
                "rev_x": 404,
                "rev_y": 404,
                "st_p": 204,
                "st_q": 404,
                "admin": 204,
                "anon": 403,
            },
            method="delete",
            writes=True,
        ),
    ],
}

# Each app keeps its rows beside its tests: tests/<app>/matrix_rows.py defines ROUTES and
# extend_world(world), which adds the app's objects (all under commune A) to the world.
APP_TABLES = [
    dialogues_rows,
    matrix_reception,
    matrix_import,
    matrix_api,
    matrix_projects,
    matrix_workplace,
    matrix_boards,
    boards_matrix_api,
    matrix_sheets,
    matrix_ranking,
    matrix_reports,
    reports_matrix_api,
    matrix_sets,
    reports_matrix_config,
    matrix_progress,
    matrix_compile,
    matrix_dashboard,
]
for _module in APP_TABLES:
    _clash = set(ROUTES) & set(_module.ROUTES)
    assert not _clash, f"route rows defined twice: {_clash}"
    ROUTES.update(_module.ROUTES)

# Routes served by Django itself or outside the portal's own code.
EXEMPT_PREFIXES = ("admin:",)  # the Django admin checks is_staff itself; nobody in the matrix is staff
EXEMPT: set[str] = set()


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            yield from _names(p.url_patterns, prefix + ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_route_has_a_row():
    names = set(_names(get_resolver().url_patterns))
    names = {n for n in names if not n.startswith(EXEMPT_PREFIXES) and n not in EXEMPT}
    missing = sorted(n for n in names if n not in ROUTES and not n.endswith("-format"))
    assert missing == [], f"routes without a row in the permission matrix: {missing}"


CASES = [(name, i, persona) for name, rows in ROUTES.items() for i, _row in enumerate(rows) for persona in PERSONAS]


def _snapshot():
    User = get_user_model()
    from boards.models import (
        BoardMember,
        CommunityBoard,
        InspectionBoard,
        InvestmentProject,
        SupervisionActivity,
        VillageConvention,
        WorkplaceConference,
    )
    from criteria.models import ClassificationBand, CriteriaSet, Criterion, Evidence, ScoreLine, ScoreSheet
    from dialogues.models import DialogueSession, Petition, PetitionEvent, ReceptionCase, ReceptionSession

    return (
        list(Unit.objects.order_by("pk").values_list("pk", "name", "staff_count", "parent_id", "official_type")),
        list(DialogueSession.objects.order_by("pk").values_list("pk", "version", "topic")),
        list(Petition.objects.order_by("pk").values_list("pk", "version", "status")),
        PetitionEvent.objects.count(),
        list(ReceptionSession.objects.order_by("pk").values_list("pk", "persons", "note")),
        ReceptionCase.objects.count(),
        list(Grant.objects.order_by("pk").values_list("pk", "user_id", "unit_id", "role")),
        list(User.objects.order_by("pk").values_list("pk", "username", "is_active")),
        list(WorkplaceConference.objects.order_by("pk").values_list("pk", "unit_id", "held_on", "participants")),
        list(VillageConvention.objects.order_by("pk").values_list("pk", "title", "status", "status_changed_on")),
        list(InvestmentProject.objects.order_by("pk").values_list("pk", "name", "unit_id", "total_value")),
        list(CommunityBoard.objects.order_by("pk").values_list("pk", "project_id", "decision_no", "dissolved_on")),
        list(InspectionBoard.objects.order_by("pk").values_list("pk", "unit_id", "term_start", "decision_no")),
        list(BoardMember.objects.order_by("pk").values_list("pk", "full_name", "ended_on", "end_reason")),
        list(SupervisionActivity.objects.order_by("pk").values_list("pk", "subject", "held_on")),
        list(
            ScoreSheet.objects.order_by("pk").values_list(
                "pk", "version", "status", "appeal", "self_total", "review_total"
            )
        ),
        list(
            ScoreLine.objects.order_by("pk").values_list(
                "pk", "self_points", "self_note", "review_points", "review_note"
            )
        ),
        Evidence.objects.count(),
        list(CriteriaSet.objects.order_by("pk").values_list("pk", "name", "status", "version", "province_id")),
        list(Criterion.objects.order_by("pk").values_list("pk", "criteria_set_id", "code", "max_points", "parent_id")),
        list(ClassificationBand.objects.order_by("pk").values_list("pk", "criteria_set_id", "label", "min_score")),
        *_reports_snapshot(),
    )


def _reports_snapshot():
    from reports import models as r

    return (
        list(r.UnitReport.objects.order_by("pk").values_list("pk", "version", "status", "unit_id", "period_id")),
        list(r.ReportValue.objects.order_by("pk").values_list("pk", "value", "override_reason")),
        list(r.ReportSection.objects.order_by("pk").values_list("pk", "text")),
        r.ReportEvent.objects.count(),
        list(r.ReportingPeriod.objects.order_by("pk").values_list("pk", "label", "due_date", "lock_date")),
        list(r.PeriodRule.objects.order_by("pk").values_list("pk", "label", "end_day", "end_month")),
        list(r.IndicatorTable.objects.order_by("pk").values_list("pk", "code", "title")),
        list(r.Indicator.objects.order_by("pk").values_list("pk", "code", "name", "retired_on", "source")),
        list(r.ReportTemplate.objects.order_by("pk").values_list("pk", "name", "active", "period_kinds")),
        list(r.Compilation.objects.order_by("pk").values_list("pk", "status", "scope_id", "period_id")),
        list(r.TemplateSection.objects.order_by("pk").values_list("pk", "code", "title", "order")),
        r.Reminder.objects.count(),
    )


def _modules_for(route: str) -> list:
    """Only the app whose rows these are (its modules may share objects): the world of a
    case is the base plus that app's objects, so each case stays cheap to build."""
    owner = next((m for m in APP_TABLES if route in m.ROUTES), None)
    if owner is None:
        return []
    package = owner.__name__.rsplit(".", 1)[0]
    return [m for m in APP_TABLES if m.__name__.rsplit(".", 1)[0] == package]


@pytest.mark.parametrize(("route", "index", "persona"), CASES, ids=[f"{r}[{i}]-{p}" for r, i, p in CASES])
def test_matrix(client, db, route, index, persona):
    row = ROUTES[route][index]
    world = build_world(_modules_for(route))
    if persona != "anon":
        client.force_login(world["users"][persona])
    url = row.url(world)
    before = _snapshot()
    kwargs = {"data": row.data(world)}
    if row.json:
        kwargs["content_type"] = "application/json"
    response = getattr(client, row.method)(url, **kwargs)
    expected = row.expect[persona]
    assert response.status_code == expected, (
        f"{row.method.upper()} {url} as {persona}: {response.status_code}, expected {expected}"
    )
    denied = (
        persona == "anon"
        or response.status_code in (400, 403, 404)
        or (response.status_code == 200 and row.method == "post" and not row.json)
    )
    if row.writes and denied:
        assert _snapshot() == before, f"a denied {row.method.upper()} {url} as {persona} changed the database"
    elif row.writes:
        assert _snapshot() != before, f"an allowed {row.method.upper()} {url} as {persona} changed nothing"
