"""Settings of the portal under benchmark: the production settings (qcdc_portal/settings.py with
DJANGO_DEBUG=0, set by bench/run.py), except the static files storage.

The production storage (whitenoise's CompressedManifestStaticFilesStorage) needs
``collectstatic``, which currently fails: static/vendor/chart.js/chart.umd.min.js ends with
``//# sourceMappingURL=chart.umd.min.js.map`` and scripts/vendor.sh does not copy that map.
The benchmark fetches pages, never static files, so Django's plain storage (URLs built
without a manifest lookup, a negligible difference) stands in for it. With Redis as the cache,
each run uses keys of its own (BENCH_CACHE_PREFIX, set by bench/run.py).
"""

from qcdc_portal.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

if REDIS_URL:  # noqa: F405
    # This run's keys only: a dashboard cached by an earlier run would make the first request a hit.
    CACHES["default"]["KEY_PREFIX"] = env("BENCH_CACHE_PREFIX", default="qcdc-bench")  # noqa: F405
