"""Generate (or find) the benchmark's synthetic dataset (bench/generate.py):

    python manage.py bench_data --scale province [--seed N] [--communes N …]

``make bench`` calls the same code itself; this command is for looking at the data, or for
generating a bigger dataset ahead of a run. It refuses SQLite unless ``--scale toy``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import generate


class Command(BaseCommand):
    help = "Tạo (hoặc dùng lại) bộ dữ liệu tổng hợp cho benchmark (bench/generate.py)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="province", choices=sorted(generate.SCALES))
        parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
        for name in ("districts", "communes", "agencies", "records"):
            parser.add_argument(f"--{name}", type=int, help=f"override the scale's number of {name}")

    def handle(self, *args, scale, seed, **options):
        if connection.vendor != "postgresql" and scale != "toy":
            raise CommandError(
                "The benchmark needs PostgreSQL (DATABASE_URL=postgres://…); only --scale toy runs here."
            )
        overrides = {k: options[k] for k in ("districts", "communes", "agencies", "records") if options.get(k)}
        spec = generate.Spec.of(scale, seed, **overrides)
        ds = generate.ensure(spec, log=self.stdout.write)
        self.stdout.write(
            f"dataset {ds.key}: province {ds.province_id} (code BENCH-{spec.tag}), period {ds.period_id}, "
            f"steering user {ds.steering_user_id}; sizes {ds.sizes}"
        )
