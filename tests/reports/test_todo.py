"""The "Việc cần làm" list of the home page (reports/todo.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Petition, PetitionStatus
from reports import services
from reports.catalogue import install_defaults
from reports.completeness import completeness
from reports.models import ReportingPeriod
from reports.todo import todo_for
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def w(db):
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=x)
    c = UnitFactory(name="Xã C", kind=UnitKind.COMMUNE, parent=y)
    school = UnitFactory(name="Trường Mầm non A", kind=UnitKind.PUBLIC_SERVICE, parent=a)
    install_defaults(p)
    users = {
        "rep_a": GrantFactory(user=UserFactory(username="bao.cao.a"), unit=a, role="reporter").user,
        "rev_x": GrantFactory(user=UserFactory(username="tham.dinh.x"), unit=x, role="reviewer").user,
        "st_p": GrantFactory(user=UserFactory(username="chi.dao.p"), unit=p, role="steering").user,
    }

    def period(label, start, due, lock=None):
        return ReportingPeriod.objects.create(
            province=p,
            kind=ReportingPeriod.Kind.AD_HOC,
            year=TODAY.year,
            label=label,
            data_start=days(start),
            data_end=days(start + 30),
            due_date=days(due),
            lock_date=None if lock is None else days(lock),
        )

    periods = {
        "soon": period("Kỳ sắp đến hạn", -60, 10),
        "sent": period("Kỳ đã gửi", -60, 5),
        "late": period("Kỳ quá hạn", -90, -3),
        "returned": period("Kỳ bị trả lại", -120, -20),
        "far": period("Kỳ còn xa", -10, 60),
        "old": period("Kỳ cũ", -800, -400),
        "locked": period("Kỳ đã khóa", -200, -100, lock=-50),
    }
    actor = users["rev_x"]
    draft = services.report_open(actor=actor, unit=a, period=periods["late"])
    sent = services.report_submit(actor=actor, report=services.report_open(actor=actor, unit=a, period=periods["sent"]))
    returned = services.report_submit(
        actor=actor, report=services.report_open(actor=actor, unit=a, period=periods["returned"])
    )
    services.report_return(actor=actor, report=returned, reason="Lần đầu thiếu số liệu")
    services.report_submit(actor=actor, report=returned)
    services.report_return(actor=actor, report=returned, reason="Thiếu biên bản hội nghị")
    awaiting_b = services.report_submit(
        actor=actor, report=services.report_open(actor=actor, unit=b, period=periods["soon"])
    )
    awaiting_c = services.report_submit(
        actor=actor, report=services.report_open(actor=actor, unit=c, period=periods["soon"])
    )

    def petition(unit, deadline, status=PetitionStatus.IN_PROGRESS, content="Đề nghị sửa đường"):
        return Petition.objects.create(
            unit=unit, raised_on=days(-30), content=content, field="xay_dung", deadline=deadline, status=status
        )

    petitions = {
        "near": petition(a, days(5), content="Đề nghị sửa đường liên thôn"),
        "past": petition(a, days(-2), content="Đề nghị lắp đèn đường"),
        "later": petition(a, days(20), content="Đề nghị nạo vét kênh"),
        "closed": petition(a, days(-2), status=PetitionStatus.RESOLVED, content="Đã xong"),
        "past_b": petition(b, days(-1), content="Kiến nghị ở xã B"),
        "past_c": petition(c, days(-1), content="Kiến nghị ở xã C"),
    }
    return {
        "units": {"p": p, "x": x, "a": a, "b": b, "c": c, "school": school},
        "users": users,
        "periods": periods,
        "reports": {"draft": draft, "sent": sent, "returned": returned, "b": awaiting_b, "c": awaiting_c},
        "petitions": petitions,
    }


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_reporter_sees_due_overdue_and_returned_reports(w):
    todo = todo_for(fresh(w["users"]["rep_a"]), TODAY)
    p, a = w["periods"], w["units"]["a"]
    # Due within 30 days and not sent: never opened, so the item carries no report.
    assert [(i.unit, i.period, i.report, i.days) for i in todo.due] == [(a, p["soon"], None, 10)]
    # Past due, not sent, not locked and recent: the draft.
    assert [(i.unit, i.period, i.report, i.days) for i in todo.overdue] == [(a, p["late"], w["reports"]["draft"], 3)]
    # Returned, with the reason of the last return.
    assert [(r.pk, r.return_reason) for r in todo.returned] == [
        (w["reports"]["returned"].pk, "Thiếu biên bản hội nghị")
    ]
    # Not a reviewer nor steering.
    assert not todo.is_reviewer
    assert not todo.awaiting
    assert todo.progress == []


def test_reporter_sees_open_petitions_near_or_past_deadline(w):
    todo = todo_for(fresh(w["users"]["rep_a"]), TODAY)
    pet = w["petitions"]
    assert todo.petitions.items == [pet["past"], pet["near"]]
    assert todo.petitions.total == 2


def test_reviewer_sees_reports_awaiting_review_and_overdue_petitions_in_scope(w):
    todo = todo_for(fresh(w["users"]["rev_x"]), TODAY)
    assert todo.is_reviewer
    # Oldest submission first; C lies in district Y.
    assert todo.awaiting.items == [w["reports"]["sent"], w["reports"]["b"]]
    pet = w["petitions"]
    assert set(todo.overdue_petitions.items) == {pet["past"], pet["past_b"]}
    assert todo.due == []
    assert todo.overdue == []
    assert todo.returned == []


def test_steering_sees_missing_units_per_current_period(w):
    todo = todo_for(fresh(w["users"]["st_p"]), TODAY)
    progress = {g["period"]: g["missing"] for g in todo.progress}
    p = w["periods"]
    # Current periods: begun, not locked, due at most 30 days ago (or later).
    assert set(progress) == {p["soon"], p["sent"], p["late"], p["returned"], p["far"]}
    for period, missing in progress.items():
        result = completeness(w["units"]["p"], period)
        assert missing == result.communes.missing + result.agencies.missing
    # Hand count for the "soon" period: A and the school have not sent, B and C have.
    assert progress[p["soon"]] == 2
    assert all(g["scope"] == w["units"]["p"] for g in todo.progress)


def test_query_count_does_not_grow_with_items(w):
    def queries(key):
        with CaptureQueriesContext(connection) as ctx:
            todo_for(fresh(w["users"][key]), TODAY)
        return len(ctx.captured_queries)

    before = {k: queries(k) for k in w["users"]}
    a = w["units"]["a"]
    for i in range(5):
        Petition.objects.create(
            unit=a, raised_on=days(-9), content=f"Kiến nghị {i}", field="xay_dung", deadline=days(-1), status="new"
        )
        ReportingPeriod.objects.create(
            province=w["units"]["p"],
            kind="ad_hoc",
            year=TODAY.year,
            label=f"Kỳ thêm {i}",
            data_start=days(-40),
            data_end=days(-10),
            due_date=days(i + 1),
        )
    unit = UnitFactory(name="Xã B2", kind=UnitKind.COMMUNE, parent=w["units"]["x"])
    services.report_submit(actor=None, report=services.report_open(actor=None, unit=unit, period=w["periods"]["soon"]))
    assert {k: queries(k) for k in w["users"]} == before
    todo = todo_for(fresh(w["users"]["rep_a"]), TODAY)
    assert len(todo.due) == 6
    assert todo.petitions.total == 7
    assert len(todo_for(fresh(w["users"]["rev_x"]), TODAY).awaiting.items) == 3


def test_home_page_links_each_item(client, w):
    client.force_login(w["users"]["rep_a"])
    html = client.get(reverse("home")).content.decode()
    assert 'id="todo-due"' in html
    # The never-opened report: a POST form to open it with the unit and period.
    assert f'action="{reverse("report-open")}"' in html
    assert f'name="period" value="{w["periods"]["soon"].pk}"' in html
    assert reverse("report-detail", args=[w["reports"]["draft"].pk]) in html
    assert reverse("report-detail", args=[w["reports"]["returned"].pk]) in html
    assert "Thiếu biên bản hội nghị" in html
    assert reverse("petition-detail", args=[w["petitions"]["near"].pk]) in html
    assert reverse("petition-detail", args=[w["petitions"]["later"].pk]) not in html

    client.force_login(w["users"]["st_p"])
    html = client.get(reverse("home")).content.decode()
    soon = w["periods"]["soon"]
    assert f"{reverse('report-completeness')}?scope={w['units']['p'].pk}&amp;period={soon.pk}" in html


def test_home_page_without_work(client, db):
    user = GrantFactory(user=UserFactory(username="moi"), unit=UnitFactory(kind=UnitKind.COMMUNE)).user
    client.force_login(user)
    assert 'id="todo-empty"' in client.get(reverse("home")).content.decode()
