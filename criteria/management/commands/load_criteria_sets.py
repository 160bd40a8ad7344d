"""Load the criteria sets shipped with the portal (criteria/shipped.py), published.

    python manage.py load_criteria_sets                  # national sets (no province)
    python manage.py load_criteria_sets --province qd124:17

Idempotent: a set whose name, province and version already exist is skipped.
"""

from django.core.management.base import BaseCommand, CommandError

from criteria import shipped
from units.models import Unit


class Command(BaseCommand):
    help = "Nạp các bộ tiêu chí có sẵn (Bắc Giang và các bộ minh họa), đã ban hành."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            metavar="DANH_MUC:MA",
            help="Tỉnh áp dụng, dạng danh_mục:mã (ví dụ qd124:17); bỏ trống là bộ tiêu chí toàn quốc",
        )

    def handle(self, *args, province=None, **options):
        unit = None
        if province:
            code_list, sep, code = province.partition(":")
            if not sep or not code_list or not code:
                raise CommandError("--province phải có dạng danh_mục:mã, ví dụ qd124:17")
            unit = Unit.objects.filter(code_list=code_list, code=code).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {code} trong danh mục {code_list}.")
        where = unit.name if unit else "toàn quốc"
        for criteria_set, created in shipped.load(province=unit):
            state = "đã tạo, ban hành" if created else "đã có, bỏ qua"
            self.stdout.write(f"{criteria_set.name} ({where}): {state}")
