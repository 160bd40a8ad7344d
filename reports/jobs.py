"""Compilation jobs (DESIGN.md "Compilation jobs and exports"; RELIABILITY-PERFORMANCE.md A8).

The ``Compilation`` row is the source of truth. ``request_compilation`` creates it in the
caller's transaction and queues the task after commit; asking again with the same parameters
while one is queued or running returns that one (a partial unique constraint makes a second
active row impossible). ``run_compilation`` claims the row (queued, or running with a stale
heartbeat), writes the files under temporary names, renames them into place and marks the row
succeeded in one transaction: nobody can download half a file, and a re-run after a killed
worker replaces the leftovers of the dead attempt. ``sweep`` (a beat job) re-queues what a
dead worker or a lost message left behind, and gives up after ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports import compilation, workbook
from reports.models import Compilation, ReportingPeriod
from units.models import Unit

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = dt.timedelta(minutes=5)  # a running job whose heartbeat is older was left by a dead worker
REQUEUE_AFTER = dt.timedelta(minutes=2)  # a queued job not picked up by then lost its message
FOLDER = "compilations"


def params_key(scope: Unit, period: ReportingPeriod, include_submitted: bool) -> str:
    raw = f"compile:v1:{scope.pk}:{period.pk}:{int(include_submitted)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _enqueue(job_id: int) -> None:
    from reports.tasks import compile_report

    try:
        compile_report.delay(job_id)
    except Exception:  # broker down: the row stays queued and the sweeper re-queues it
        log.exception("compilation %s: could not queue the task; the sweeper will retry", job_id)


def request_compilation(
    *, actor, scope: Unit, period: ReportingPeriod, include_submitted: bool = False, enqueue: bool = True
):
    """The active job for these parameters, or a new one queued after commit (``enqueue=False``:
    the caller runs it itself, as compile_report does). Returns (job, created)."""
    key = params_key(scope, period, include_submitted)
    active = Compilation.objects.filter(params_key=key, status__in=Compilation.ACTIVE).first()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            job = Compilation.objects.create(
                scope=scope,
                period=period,
                include_submitted=include_submitted,
                params_key=key,
                requested_by=actor,
                step=_("Đang chờ máy chủ tổng hợp"),
            )
    except IntegrityError:  # another request won the race: return its job
        return Compilation.objects.get(params_key=key, status__in=Compilation.ACTIVE), False
    if enqueue:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job, True


def _claim(job_id: int, now: dt.datetime) -> bool:
    """Take the job: queued, or running with a stale heartbeat (its worker died)."""
    claimable = Q(status=Compilation.Status.QUEUED) | Q(
        status=Compilation.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    return bool(
        Compilation.objects.filter(claimable, pk=job_id).update(
            status=Compilation.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            progress=1,
            step=_("Đang đọc số liệu"),
            error="",
        )
    )


def _progress(job_id: int):
    def report(pct: int, step: str) -> None:
        Compilation.objects.filter(pk=job_id, status=Compilation.Status.RUNNING).update(
            progress=pct, step=step[:255], heartbeat_at=timezone.now()
        )

    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cleanup(job: Compilation) -> None:
    """Remove what an earlier, killed attempt of this job left behind (temporary files)."""
    for leftover in folder().glob(f"{job.pk}-*.part"):
        leftover.unlink(missing_ok=True)


def base_name(job: Compilation) -> str:
    slug = slugify(f"tong-hop-{job.scope.name}-{job.period.label}")[:80] or "tong-hop"
    return f"{job.pk}-{slug}"


def run_compilation(job_id: int, *, today: dt.date | None = None) -> str:
    """Run one job; safe to call again for the same job (idempotent). Returns its final status."""
    now = timezone.now()
    if not _claim(job_id, now):
        return Compilation.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"
    job = Compilation.objects.select_related("scope", "period__province", "requested_by").get(pk=job_id)
    _cleanup(job)
    report = _progress(job.pk)
    base = base_name(job)
    names = {ext: f"{FOLDER}/{base}.{ext}" for ext in ("xlsx", "docx")}
    parts = {ext: folder() / f"{base}.{os.getpid()}.{ext}.part" for ext in names}
    try:
        requester = (job.requested_by.get_full_name() or job.requested_by.username) if job.requested_by else ""
        summary = compilation.summarize(
            job.scope,
            job.period,
            include_submitted=job.include_submitted,
            requested_by=requester,
            today=today,
        )
        report(8, _("Đang ghi tệp Excel"))
        workbook.write_workbook(summary, parts["xlsx"], today=today or timezone.localdate(), progress=report)
        report(95, _("Đang ghi báo cáo Word"))
        from reports.narrative import narrative_docx

        narrative_docx(summary, parts["docx"])
        checks = {ext: _sha256(part) for ext, part in parts.items()}
        size = parts["xlsx"].stat().st_size
        with transaction.atomic():
            locked = Compilation.objects.select_for_update().get(pk=job.pk)
            if locked.status != Compilation.Status.RUNNING:  # the sweeper gave up on us meanwhile
                raise RuntimeError("job is no longer running")
            for ext, part in parts.items():
                os.replace(part, file_path(names[ext]))  # atomic on one filesystem
            Compilation.objects.filter(pk=job.pk).update(
                status=Compilation.Status.SUCCEEDED,
                progress=100,
                step=_("Hoàn thành"),
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
                xlsx=names["xlsx"],
                xlsx_sha256=checks["xlsx"],
                xlsx_size=size,
                docx=names["docx"],
                docx_sha256=checks["docx"],
                reports_included=summary.reports_included,
                reports_pending=summary.reports_pending,
            )
        return Compilation.Status.SUCCEEDED
    except Exception as exc:
        log.exception("compilation %s failed", job.pk)
        for part in parts.values():
            part.unlink(missing_ok=True)
        Compilation.objects.filter(pk=job.pk, status=Compilation.Status.RUNNING).update(
            status=Compilation.Status.FAILED,
            finished_at=timezone.now(),
            step=_("Lỗi"),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return Compilation.Status.FAILED


def sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Re-queue jobs whose worker died (stale heartbeat) or whose message was lost (queued too
    long); fail those that already used their attempts, with a clear error text."""
    now = now or timezone.now()
    stale = Q(status=Compilation.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    lost = Q(status=Compilation.Status.QUEUED, queued_at__lt=now - REQUEUE_AFTER)
    gave_up = Compilation.objects.filter(stale, attempts__gte=MAX_ATTEMPTS).update(
        status=Compilation.Status.FAILED,
        finished_at=now,
        step=_("Lỗi"),
        error=_("Máy chủ tổng hợp dừng giữa chừng %(n)s lần; hãy thử lại sau hoặc báo quản trị hệ thống.")
        % {"n": MAX_ATTEMPTS},
    )
    requeued = 0
    for job in Compilation.objects.filter(stale | lost).only("pk", "status"):
        if job.status == Compilation.Status.RUNNING:
            # Back to queued, so the claim of the re-sent task (or of a late original) succeeds once.
            Compilation.objects.filter(pk=job.pk, status=Compilation.Status.RUNNING).update(
                status=Compilation.Status.QUEUED, step=_("Đang chờ chạy lại"), queued_at=now
            )
        else:
            Compilation.objects.filter(pk=job.pk).update(queued_at=now)
        _enqueue(job.pk)
        requeued += 1
    return {"requeued": requeued, "failed": gave_up}
