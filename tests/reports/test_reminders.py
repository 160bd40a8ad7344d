"""Reminder e-mails about reports not submitted (reports/reminders.py, reports/tasks.py) and
the page listing them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reports import services, tasks
from reports.catalogue import install_defaults
from reports.models import Reminder, ReportingPeriod, ReportStatus, UnitReport
from reports.reminders import send_reminders
from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind

TODAY = timezone.localdate()


@pytest.fixture
def w(db):
    p = UnitFactory(name="Tỉnh P", kind=UnitKind.PROVINCE)
    q = UnitFactory(name="Tỉnh Q", kind=UnitKind.PROVINCE)
    x = UnitFactory(name="Huyện X", kind=UnitKind.DISTRICT, parent=p)
    y = UnitFactory(name="Huyện Y", kind=UnitKind.DISTRICT, parent=p)
    a = UnitFactory(name="Xã A", kind=UnitKind.COMMUNE, parent=x)
    b = UnitFactory(name="Xã B", kind=UnitKind.COMMUNE, parent=x)
    c = UnitFactory(name="Xã C", kind=UnitKind.COMMUNE, parent=y)
    school = UnitFactory(name="Trường Mầm non A", kind=UnitKind.PUBLIC_SERVICE, parent=a)
    d = UnitFactory(name="Xã D", kind=UnitKind.COMMUNE, parent=UnitFactory(kind=UnitKind.DISTRICT, parent=q))
    install_defaults(p)
    install_defaults(q)

    def grant(username, unit, role, **extra):
        return GrantFactory(user=UserFactory(username=username, **extra), unit=unit, role=role).user

    users = {
        "rep_a": grant("bao.cao.a", a, "reporter"),
        "rep_a_off": grant("nghi.viec.a", a, "reporter", is_active=False),
        "rep_a_nomail": grant("khong.thu.a", a, "reporter", email=""),
        "rep_b": grant("bao.cao.b", b, "reporter"),
        "rep_school": grant("bao.cao.truong", school, "reporter"),
        "rep_x": grant("bao.cao.x", x, "reporter"),  # not directly on a reporting unit
        "rep_d": grant("bao.cao.d", d, "reporter"),
        "rev_x": grant("tham.dinh.x", x, "reviewer"),
        "rev_y": grant("tham.dinh.y", y, "reviewer"),
        "rev_p": grant("tham.dinh.p", p, "reviewer"),
        "st_p": grant("chi.dao.p", p, "steering"),
    }

    def period(province, label, due, before=5):
        return ReportingPeriod.objects.create(
            province=province,
            kind=ReportingPeriod.Kind.SEMIANNUAL,
            year=TODAY.year,
            label=label,
            data_start=TODAY - dt.timedelta(days=200),
            data_end=TODAY - dt.timedelta(days=20),
            due_date=due,
            remind_days_before=before,
        )

    due = TODAY + dt.timedelta(days=5)
    periods = {
        "p": period(p, "Báo cáo 6 tháng đầu năm", due),
        "q": period(q, "Báo cáo 6 tháng tỉnh Q", due),
        "other": period(p, "Báo cáo chuyên đề", TODAY + dt.timedelta(days=9)),
    }
    services.report_submit(actor=None, report=services.report_open(actor=None, unit=b, period=periods["p"]))
    # The school opened its report but has not sent it.
    services.report_open(actor=None, unit=school, period=periods["p"])
    return {"units": {"p": p, "x": x, "y": y, "a": a, "b": b, "c": c, "school": school}, "users": users, **periods}


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_before_the_due_date_each_missing_unit_reporter_is_mailed(w):
    sent = send_reminders(TODAY)
    u = w["users"]
    assert sent.before == 3  # reporters of A and of the school; of D for province Q's own period
    (msg,) = to(u["rep_a"])
    assert "Báo cáo 6 tháng đầu năm" in msg.subject
    assert "Xã A" in msg.subject
    assert w["p"].due_date.strftime("%d/%m/%Y") in msg.body
    assert "/bao-cao/" in msg.body
    assert "Xã A" in msg.body
    assert len(to(u["rep_school"])) == 1
    (msg_d,) = to(u["rep_d"])
    assert "Báo cáo 6 tháng tỉnh Q" in msg_d.subject
    # B submitted; inactive users, users without e-mail and a district reporter get nothing.
    for key in ("rep_b", "rep_a_off", "rep_x", "st_p"):
        assert to(u[key]) == [], key
    assert Reminder.objects.filter(kind="before", period=w["p"]).count() == 2
    assert not Reminder.objects.filter(recipient__in=[u["rep_a_nomail"], u["rep_b"]]).exists()


def test_reviewers_get_one_digest_of_their_missing_units(w):
    send_reminders(TODAY)
    u = w["users"]
    (digest_x,) = to(u["rev_x"])
    assert "(2 đơn vị)" in digest_x.subject
    assert "- Xã A" in digest_x.body
    assert "- Trường Mầm non A" in digest_x.body
    assert "Xã B" not in digest_x.body
    assert "Xã C" not in digest_x.body
    (digest_y,) = to(u["rev_y"])
    assert "- Xã C" in digest_y.body
    assert "Xã A" not in digest_y.body
    (digest_p,) = to(u["rev_p"])
    assert all(f"- {name}" in digest_p.body for name in ("Xã A", "Xã C", "Trường Mầm non A"))
    assert "Xã B" not in digest_p.body
    rows = Reminder.objects.filter(kind="digest")
    assert {(r.recipient, r.unit) for r in rows} == {
        (u["rev_x"], w["units"]["x"]),
        (u["rev_y"], w["units"]["y"]),
        (u["rev_p"], w["units"]["p"]),
    }


def test_running_twice_sends_nothing_more(w):
    first = send_reminders(TODAY)
    count, rows = len(mail.outbox), Reminder.objects.count()
    assert first.total == count == rows == 6
    again = send_reminders(TODAY)
    assert again.total == 0
    assert again.skipped == 6
    assert len(mail.outbox) == count
    assert Reminder.objects.count() == rows


def test_the_day_after_the_due_date_only_units_still_missing(w):
    send_reminders(TODAY)
    mail.outbox.clear()
    a = w["units"]["a"]
    services.report_submit(actor=None, report=services.report_open(actor=None, unit=a, period=w["p"]))
    after = send_reminders(w["p"].due_date + dt.timedelta(days=1))
    assert after.after == 2  # the school, and commune D for province Q's period
    assert to(w["users"]["rep_a"]) == []
    (msg,) = to(w["users"]["rep_school"])
    assert "Quá hạn" in msg.subject
    assert "Trường Mầm non A" in msg.body
    assert Reminder.objects.filter(kind="after", period=w["p"]).get().unit == w["units"]["school"]
    # The digest went out on the first reminder day: the reviewers are not mailed again.
    assert after.digest == 0
    assert after.skipped == 3


def test_other_days_send_nothing(w):
    assert send_reminders(TODAY + dt.timedelta(days=1)).total == 0
    assert send_reminders(w["p"].due_date).total == 0
    assert mail.outbox == []


def test_tasks_and_beat_schedule(w):
    assert tasks.send_report_reminders(TODAY.isoformat()) == {
        "before": 3,
        "after": 0,
        "digest": 3,
        "skipped": 0,
        "failed": 0,
    }
    assert len(mail.outbox) == 6
    # lock_reports locks approved reports past the lock date.
    report = UnitReport.objects.get(unit=w["units"]["b"], period=w["p"])
    services.report_approve(actor=None, report=report)
    ReportingPeriod.objects.filter(pk=w["p"].pk).update(lock_date=TODAY - dt.timedelta(days=1))
    assert tasks.lock_reports(TODAY.isoformat()) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {tasks.send_report_reminders.name, tasks.lock_reports.name} <= scheduled


# --- The page ---------------------------------------------------------------------------------


def test_reminder_page_lists_what_the_user_may_see(client, w):
    send_reminders(TODAY)
    u = w["users"]
    url = reverse("report-reminders")
    client.force_login(u["rev_x"])
    response = client.get(url)
    assert response.status_code == 200
    seen = set(response.context["page_obj"].object_list)
    x_path = w["units"]["x"].path
    assert seen == set(Reminder.objects.filter(unit__path__startswith=x_path))
    assert len(seen) == 3  # A, the school, the digest of district X
    assert "Xã C" not in response.content.decode()

    client.force_login(u["rep_a"])
    own = set(client.get(url).context["page_obj"].object_list)
    assert own == set(Reminder.objects.filter(unit__path__startswith=w["units"]["a"].path))  # A and its school

    client.force_login(u["st_p"])
    filtered = client.get(url, {"period": w["p"].pk})
    assert len(filtered.context["page_obj"].object_list) == 5
    assert client.get(url, {"period": w["other"].pk}).status_code == 404  # no reminder of that period
    assert client.get(url, {"period": w["q"].pk}).status_code == 404
