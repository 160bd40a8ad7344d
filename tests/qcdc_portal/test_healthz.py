import pytest
from django.db import connection


def test_healthz_reports_every_part(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"]
    assert data["database"]["vendor"] == connection.vendor
    assert data["cache"]["ok"]
    assert data["broker"]["ok"]


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    def broken():
        raise RuntimeError("database is down")

    monkeypatch.setattr("qcdc_portal.views._check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "fail"
    assert data["database"] == {"ok": False, "error": "RuntimeError: database is down", "ms": data["database"]["ms"]}
    assert data["cache"]["ok"] is True


def test_healthz_is_503_when_the_cache_loses_values(client, db, monkeypatch):
    monkeypatch.setattr("qcdc_portal.views.cache.get", lambda key: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False


def test_healthz_broker_times_out_without_a_worker(client, db, settings, monkeypatch):
    """With eager mode off and no worker answering, the canary fails within its timeout."""
    from qcdc_portal.celery import app

    settings.HEALTHZ_CANARY_TIMEOUT = 0.5
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False

    class NoAnswer:
        def get(self, timeout, **kw):
            from celery.exceptions import TimeoutError

            raise TimeoutError("The operation timed out.")

        def forget(self):
            pass

    monkeypatch.setattr("qcdc_portal.celery.canary.apply_async", lambda *a, **k: NoAnswer())
    try:
        response = client.get("/healthz")
    finally:
        app.conf.task_always_eager = eager
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert "TimeoutError" in response.json()["broker"]["error"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_answers_only_get_and_head(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
