"""Daily jobs of the reports app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from reports import reminders, services


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="reports.send_report_reminders")
def send_report_reminders(today: str | None = None) -> dict:
    """E-mail the units that have not reported (before and after the due date) and their reviewers."""
    sent = reminders.send_reminders(_day(today))
    return {
        "before": sent.before,
        "after": sent.after,
        "digest": sent.digest,
        "skipped": sent.skipped,
        "failed": sent.failed,
    }


@shared_task(name="reports.lock_reports")
def lock_reports(today: str | None = None) -> int:
    """Lock the approved reports of periods whose lock date has passed."""
    return services.lock_past_lock_date(today=_day(today))


@shared_task(name="reports.compile_report", acks_late=True, reject_on_worker_lost=True, max_retries=0)
def compile_report(job_id: int, today: str | None = None) -> str:
    """Run a compilation job. Idempotent: a re-delivered message for a finished or running job
    does nothing (the job row is claimed atomically), so late acknowledgement is safe."""
    from reports import jobs

    return jobs.run_compilation(job_id, today=_day(today) if today else None)


@shared_task(name="reports.sweep_compilations", acks_late=False)
def sweep_compilations() -> dict:
    """Re-queue compilations left by a dead worker or a lost message (every minute)."""
    from reports import jobs

    return jobs.sweep()
