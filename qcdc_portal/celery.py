"""The Celery application. Tasks live in each app's tasks.py (autodiscovered)."""

import os
import socket

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcdc_portal.settings")

app = Celery("qcdc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="qcdc_portal.canary", acks_late=False, time_limit=30, soft_time_limit=25)
def canary(token: str) -> dict:
    """Round-trip probe for /healthz: proves a worker is consuming, not merely alive."""
    return {"token": token, "pid": os.getpid(), "host": socket.gethostname()}
