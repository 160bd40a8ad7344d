"""Proves that a task runs in the separate worker process that .ci/run starts (stage 2)."""

import os

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="no REDIS_URL: the real-worker tests run in .ci/run stage 2 (PostgreSQL + Redis + worker)",
    ),
]


@pytest.fixture
def real_broker():
    from qcdc_portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = eager


def test_canary_runs_in_the_worker_process(real_broker):
    from qcdc_portal.celery import canary

    result = canary.apply_async(args=["hello"])
    answer = result.get(timeout=20)
    assert answer["token"] == "hello"
    assert answer["pid"] != os.getpid(), "the task ran in the test process, not in the worker"
    expected = os.environ.get("QCDC_WORKER_PID")
    if expected:  # .ci/run exports the PID it started; the task must have run under it
        assert str(answer["pid"]) == expected or _is_child_of(answer["pid"], int(expected))


def test_healthz_round_trips_through_the_worker(client, db, real_broker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    broker = response.json()["broker"]
    assert broker["mode"] == "worker"
    assert broker["worker_pid"] != os.getpid()


def _is_child_of(pid: int, parent: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1]) == parent
    except OSError:
        return False
