"""Load the real national administrative-unit lists (package vietnamadminunits, MIT).

legacy:  the 63 provinces, 696 districts and ~10,035 communes of the QĐ 124/2004 list.
current: the 34 provinces and 3,321 communes in force since 1/7/2025 (QĐ 19/2025), and
         the lineage from the package's 63→34 mapping. Legacy units get valid_to 30/6/2025.

Upserts by (code list, official code) in one transaction; re-running changes nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from units.services import import_current_units, import_legacy_units


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị hành chính (legacy: 63 tỉnh; current: 34 tỉnh từ 01/7/2025)."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", choices=["legacy", "current"], required=True)
        parser.add_argument("--province", help="Mã tỉnh (2 chữ số) để chỉ nhập một tỉnh")

    def handle(self, *args, dataset, province=None, **options):
        started = time.monotonic()
        try:
            if dataset == "legacy":
                stats = import_legacy_units(province_code=province)
            else:
                stats = import_current_units(province_code=province)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        took = time.monotonic() - started
        parts = ", ".join(f"{k}: {v}" for k, v in stats.items())
        self.stdout.write(self.style.SUCCESS(f"import_units --dataset {dataset}: {parts} ({took:.1f} s)"))
