"""Test settings: the real settings with a fast hasher, locmem e-mail and eager Celery.

DATABASE_URL and REDIS_URL are honoured, so the same suite runs on SQLite and on
PostgreSQL + Redis (.ci/run stage 2). Tests that need the real worker switch eager
mode off for themselves (tests/test_celery_worker.py).
"""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = str(BASE_DIR / "var" / "test-media")  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The other apps' demo tests run seed_demo once per test; the reports' demo has its own test
# (tests/reports/test_demo.py), which turns this on.
DEMO_SEED_REPORTS = False
# Tests compare the dashboards with fresh queries; the cache has its own test.
DASHBOARD_CACHE_SECONDS = 0
