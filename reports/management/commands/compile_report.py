"""Run the steering committee's compilation headless (DESIGN.md public contract):

    python manage.py compile_report --scope CODE --period ID --out FILE.xlsx

The same job as the browser's "Tổng hợp" button: a Compilation row is created and run in this
process (no worker needed), then its workbook is copied to FILE.xlsx and the narrative draft
next to it (FILE.docx)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import jobs
from reports.models import Compilation, ReportingPeriod
from units.models import Unit


class Command(BaseCommand):
    help = "Tổng hợp báo cáo của một phạm vi và một kỳ ra tệp Excel (và bản dự thảo Word bên cạnh)."

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="Mã đơn vị (tỉnh, huyện, xã), ví dụ 17 cho Hòa Bình")
        parser.add_argument("--period", required=True, type=int, help="Mã số kỳ báo cáo (id)")
        parser.add_argument("--out", required=True, help="Đường dẫn tệp .xlsx sẽ ghi ra")
        parser.add_argument(
            "--include-submitted", action="store_true", help="Gồm cả báo cáo đã gửi nhưng chưa phê duyệt"
        )

    def handle(self, *args, scope, period, out, include_submitted, **options):
        out_path = Path(out)
        if out_path.suffix.lower() != ".xlsx":
            raise CommandError("--out phải là tệp .xlsx")
        units = list(Unit.objects.filter(code=scope).order_by("-valid_from", "pk")[:3])
        if not units:
            raise CommandError(f"Không có đơn vị mã {scope!r}")
        unit = units[0]
        try:
            the_period = ReportingPeriod.objects.select_related("province").get(pk=period)
        except ReportingPeriod.DoesNotExist:
            raise CommandError(f"Không có kỳ báo cáo số {period}") from None
        if not (unit.path.startswith(the_period.province.path) or the_period.province.path.startswith(unit.path)):
            raise CommandError(f"Kỳ {the_period} không thuộc tỉnh của {unit.name}")
        job, created = jobs.request_compilation(
            actor=None, scope=unit, period=the_period, include_submitted=include_submitted, enqueue=False
        )
        if not created:
            self.stdout.write(f"Đã có lần tổng hợp #{job.pk} đang chạy với cùng tham số; chạy nó tại đây.")
        status = jobs.run_compilation(job.pk)
        job.refresh_from_db()
        if status != Compilation.Status.SUCCEEDED:
            raise CommandError(f"Tổng hợp #{job.pk} không thành công: {job.error or job.status}")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(jobs.file_path(job.xlsx), out_path)
        docx_path = out_path.with_suffix(".docx")
        shutil.copyfile(jobs.file_path(job.docx), docx_path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Tổng hợp #{job.pk}: {job.reports_included} báo cáo → {out_path} "
                f"(SHA-256 {job.xlsx_sha256[:12]}…) và {docx_path}"
            )
        )
