"""Site-wide views with no domain words: sign-in, health check, error pages."""

import time
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from qcdc_portal.lib import ratelimit


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "demo_refused": _("Tài khoản mẫu chỉ dùng được trên máy thử nghiệm (DEBUG bật)."),
        "rate_limited": _("Quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau ít phút."),
    }

    def clean(self):
        request = self.request
        if request is not None and not ratelimit.hit(
            f"login:{ratelimit.client_ip(request)}", settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_WINDOW
        ):
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not settings.DEBUG and username in settings.DEMO_USERNAMES and password == settings.DEMO_PASSWORD:
            raise forms.ValidationError(self.error_messages["demo_refused"], code="demo_refused")
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        from qcdc_portal.lib.session_timeout import SEEN, STARTED

        now = int(time.time())
        self.request.session[STARTED] = now
        self.request.session[SEEN] = now
        return response


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _check_cache() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_broker() -> dict:
    from qcdc_portal.celery import app, canary

    if app.conf.task_always_eager:
        return {"mode": "eager", "detail": "no broker configured; tasks run in-process"}
    token = uuid.uuid4().hex
    result = canary.apply_async(args=[token], expires=10)
    try:
        answer = result.get(timeout=settings.HEALTHZ_CANARY_TIMEOUT, disable_sync_subtasks=False)
    finally:
        result.forget()
    if answer.get("token") != token:
        raise RuntimeError("canary answered with another token")
    return {"mode": "worker", "worker_pid": answer["pid"], "worker_host": answer["host"]}


@never_cache
@require_safe
def healthz(request):
    """JSON health of the database, cache and broker; 503 when any part fails."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    body: dict = {}
    healthy = True
    for name, check in checks.items():
        started = time.monotonic()
        try:
            body[name] = {"ok": True, **check()}
        except Exception as exc:  # a health check reports every failure, whatever its kind
            healthy = False
            body[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        body[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    body["status"] = "ok" if healthy else "fail"
    return JsonResponse(body, status=200 if healthy else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors: the database or the session may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
