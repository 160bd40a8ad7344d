"""Permission-matrix rows for the compilations (see tests/test_permission_matrix.py): a
finished compilation of district X (province P), its progress, its downloads, and starting
one for district X in the browser and over the API."""

import datetime as dt
from pathlib import Path

from django.conf import settings

from reports import jobs
from reports.catalogue import install_defaults
from reports.models import Compilation, ReportingPeriod
from tests.matrix import ALL_SIGNED_IN, ANON_LOGIN, API_ANON, Row, u

# Compilations of district X: its reviewer, province P's steering and admin.
REVIEWS_X = {"rep_a": 404, "rep_b": 404, "rev_x": 200, "rev_y": 404, "st_p": 200, "st_q": 404, "admin": 200}
MAY_COMPILE = {"rep_a": 403, "rep_b": 403, "rev_x": 200, "rev_y": 200, "st_p": 200, "st_q": 200, "admin": 200}


def extend_world(world):
    p, x = world["units"]["p"], world["units"]["x"]
    install_defaults(p)
    period = ReportingPeriod.objects.create(
        province=p,
        kind=ReportingPeriod.Kind.SEMIANNUAL,
        year=2025,
        label="Kỳ tổng hợp ma trận",
        data_start=dt.date(2024, 10, 16),
        data_end=dt.date(2025, 5, 15),
        due_date=dt.date(2025, 5, 15),
    )
    world["compile_period"] = period
    job = Compilation.objects.create(
        scope=x,
        period=period,
        params_key=jobs.params_key(x, period, False),
        status=Compilation.Status.SUCCEEDED,
        progress=100,
    )
    folder = Path(settings.MEDIA_ROOT) / jobs.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for ext in ("xlsx", "docx"):
        name = f"{jobs.FOLDER}/{job.pk}-matrix.{ext}"
        (Path(settings.MEDIA_ROOT) / name).write_bytes(b"PK\x03\x04 matrix")
        setattr(job, ext, name)
    job.save()
    world["compilation"] = job


def job(w):
    return w["compilation"].pk


def start_payload(w):
    return {"scope": w["units"]["x"].pk, "period": w["compile_period"].pk}


ROUTES = {
    "compilation-list": [
        Row(u("compilation-list"), {**MAY_COMPILE, **ANON_LOGIN}),
        # Reviewer Y and steering Q may compile, but not district X: a form error, nothing saved.
        Row(
            u("compilation-list"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 302,
                "rev_y": 400,
                "st_p": 302,
                "st_q": 400,
                "admin": 302,
                "anon": 302,
            },
            method="post",
            data=start_payload,
            writes=True,
        ),
    ],
    "compilation-detail": [Row(u("compilation-detail", job), {**REVIEWS_X, **ANON_LOGIN})],
    "compilation-progress": [Row(u("compilation-progress", job), {**REVIEWS_X, **ANON_LOGIN})],
    "compilation-download": [
        Row(u("compilation-download", job, "xlsx"), {**REVIEWS_X, **ANON_LOGIN}),
        Row(u("compilation-download", job, "docx"), {**REVIEWS_X, **ANON_LOGIN}),
    ],
    "api-compilation-list": [
        Row(u("api-compilation-list"), {**ALL_SIGNED_IN, **API_ANON}),
        Row(
            u("api-compilation-list"),
            {
                "rep_a": 403,
                "rep_b": 403,
                "rev_x": 202,
                "rev_y": 400,
                "st_p": 202,
                "st_q": 400,
                "admin": 202,
                "anon": 403,
            },
            method="post",
            data=start_payload,
            writes=True,
            json=True,
        ),
    ],
    "api-compilation-detail": [Row(u("api-compilation-detail", job), {**REVIEWS_X, **API_ANON})],
    "api-compilation-download": [Row(u("api-compilation-download", job, "xlsx"), {**REVIEWS_X, **API_ANON})],
}
