"""Reminder e-mails about reports not submitted (a daily beat job, reports/tasks.py).

For each period whose due date is ``remind_days_before`` days away ("before") or was
yesterday ("after"), every expected unit of the province that has not submitted (the
definition of reports/completeness.py) gets a mail to each active user holding a reporter
grant directly on it, and each reviewer whose grant covers such units gets one digest listing
them. Units that submitted are never reminded. Every mail sent is logged as a ``Reminder``
row; a mail already logged is never sent again, so running the job twice is harmless.

The unique constraint of ``Reminder`` (period, unit, kind, recipient) allows one digest per
reviewer and period: it goes out on the first reminder day on which the reviewer has units
missing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reports.completeness import missing_units
from reports.models import Reminder, ReportingPeriod
from units.models import Grant, Role

log = logging.getLogger(__name__)

MAX_REMIND_DAYS = 366


@dataclass
class Sent:
    before: int = 0
    after: int = 0
    digest: int = 0
    skipped: int = 0  # already sent earlier
    failed: int = 0
    periods: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.before + self.after + self.digest


def periods_to_remind(today: dt.date) -> list[tuple[ReportingPeriod, str]]:
    """(period, kind) pairs whose reminder day is ``today``."""
    candidates = ReportingPeriod.objects.filter(
        due_date__gte=today - dt.timedelta(days=1), due_date__lte=today + dt.timedelta(days=MAX_REMIND_DAYS)
    ).select_related("province")
    result = []
    for period in candidates.order_by("due_date", "pk"):
        if period.due_date - dt.timedelta(days=period.remind_days_before) == today:
            result.append((period, Reminder.Kind.BEFORE))
        if period.due_date + dt.timedelta(days=1) == today:
            result.append((period, Reminder.Kind.AFTER))
    return result


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _unit_mail(period: ReportingPeriod, unit, kind: str, link: str) -> tuple[str, str]:
    params = {"unit": unit.name, "period": period.label, "due": _fmt(period.due_date), "link": link}
    if kind == Reminder.Kind.BEFORE:
        subject = _("Nhắc gửi báo cáo: %(period)s — %(unit)s") % params
        first = _("Đơn vị %(unit)s chưa gửi báo cáo %(period)s. Hạn gửi là ngày %(due)s.") % params
    else:
        subject = _("Quá hạn gửi báo cáo: %(period)s — %(unit)s") % params
        first = _("Đã quá hạn gửi báo cáo %(period)s (hạn ngày %(due)s) mà đơn vị %(unit)s chưa gửi.") % params
    body = "\n\n".join(
        [
            first,
            _(
                "Đề nghị đồng chí đăng nhập cổng thông tin, mục Báo cáo định kỳ (%(link)s), "
                "để hoàn thành và gửi báo cáo."
            )
            % params,
            _("Thư này được gửi tự động; đề nghị không trả lời thư."),
        ]
    )
    return subject, body


def _digest_mail(period: ReportingPeriod, units: list, link: str) -> tuple[str, str]:
    params = {"period": period.label, "due": _fmt(period.due_date), "count": len(units), "link": link}
    subject = _("Đơn vị chưa gửi báo cáo %(period)s (%(count)s đơn vị)") % params
    lines = [
        _(
            "Đến nay còn %(count)s đơn vị trong phạm vi đồng chí phụ trách chưa gửi báo cáo %(period)s "
            "(hạn ngày %(due)s):"
        )
        % params,
        "\n".join(f"- {u.name}" for u in units),
        _("Xem tiến độ gửi báo cáo tại mục Báo cáo định kỳ (%(link)s).") % params,
        _("Thư này được gửi tự động; đề nghị không trả lời thư."),
    ]
    return subject, "\n\n".join(lines)


def _send(*, period, unit, kind, user, subject, body, today, sent: Sent) -> None:
    try:
        with transaction.atomic():
            Reminder.objects.create(
                period=period, unit=unit, kind=kind, recipient=user, email=user.email, sent_on=today, body=body
            )
            send_mail(subject, body, None, [user.email], fail_silently=False)
    except IntegrityError:  # sent meanwhile by another run
        sent.skipped += 1
        return
    except Exception:  # the mail server refused: nothing logged, tried again on the next run of the day
        log.exception("reminder mail to %s failed", user.email)
        sent.failed += 1
        return
    setattr(sent, kind, getattr(sent, kind) + 1)


def send_reminders(today: dt.date) -> Sent:
    sent = Sent()
    with translation.override("vi"):
        link = reverse("report-list")
        for period, kind in periods_to_remind(today):
            sent.periods.append(period.pk)
            _remind_period(period, kind, today, link, sent)
    return sent


def _remind_period(period: ReportingPeriod, kind: str, today: dt.date, link: str, sent: Sent) -> None:
    missing = list(missing_units(period).order_by("path"))
    if not missing:
        return
    done = set(
        Reminder.objects.filter(period=period, kind__in=(kind, Reminder.Kind.DIGEST)).values_list(
            "unit_id", "kind", "recipient_id"
        )
    )
    digested = {recipient for _u, k, recipient in done if k == Reminder.Kind.DIGEST}

    reporters = (
        Grant.objects.filter(role=Role.REPORTER, unit__in=[u.pk for u in missing], user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "unit")
        .order_by("unit__path", "user_id")
    )
    for grant in reporters:
        if (grant.unit_id, kind, grant.user_id) in done:
            sent.skipped += 1
            continue
        subject, body = _unit_mail(period, grant.unit, kind, link)
        _send(
            period=period,
            unit=grant.unit,
            kind=kind,
            user=grant.user,
            subject=subject,
            body=body,
            today=today,
            sent=sent,
        )

    reviewers = (
        Grant.objects.filter(role=Role.REVIEWER, unit__path__startswith=f"/{period.province_id}/", user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "unit")
        .order_by("user_id", "unit__depth", "unit__path")
    )
    per_user: dict[int, tuple] = {}
    for grant in reviewers:
        covered = [u for u in missing if u.path.startswith(grant.unit.path)]
        if not covered:
            continue
        if grant.user_id in per_user:
            top, units = per_user[grant.user_id]
            units.extend(u for u in covered if u not in units)
        else:
            per_user[grant.user_id] = (grant, covered)
    for user_id, (grant, units) in per_user.items():
        if user_id in digested:
            sent.skipped += 1
            continue
        units.sort(key=lambda u: u.path)
        subject, body = _digest_mail(period, units, link)
        _send(
            period=period,
            unit=grant.unit,
            kind=Reminder.Kind.DIGEST,
            user=grant.user,
            subject=subject,
            body=body,
            today=today,
            sent=sent,
        )
