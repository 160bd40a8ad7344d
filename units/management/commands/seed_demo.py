"""Demo data for `make run`: Hòa Bình province (legacy three-tier list), Lạc Sơn district
with its real 24 communes, and the demo accounts of DESIGN.md. Each later step adds its
records here so a fresh portal always shows a populated province.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from units import demo

# Each app adds its demo records in <app>/demo.py: seed(log) -> summary lines.
SEEDERS = [
    "units.demo",
    "reports.demo",
    "dialogues.demo",
    "boards.demo",
    "criteria.demo",
    "reports.demo_reports",
    "reports.demo_compile",
]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (tỉnh Hòa Bình, huyện Lạc Sơn) và các tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Chỉ chạy khi cơ sở dữ liệu chưa có tài khoản nào")
        parser.add_argument("--force", action="store_true", help="Cho phép chạy khi DEBUG tắt (không khuyến nghị)")

    def handle(self, *args, if_empty=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo từ chối chạy khi DEBUG tắt (máy thật): dùng --force nếu thật sự muốn tạo dữ liệu mẫu."
            )
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("seed_demo: cơ sở dữ liệu đã có dữ liệu, bỏ qua.")
            self.stdout.write(demo.banner())
            return
        summary = []
        with transaction.atomic():
            for name in SEEDERS:
                summary += import_module(name).seed(log=self.stdout.write)
        for line in summary:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("seed_demo: xong."))
        self.stdout.write(demo.banner())
