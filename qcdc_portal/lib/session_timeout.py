"""Idle and absolute session limits (ASVS: 30 min idle, 12 h absolute)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

STARTED = "_qcdc_session_started"
SEEN = "_qcdc_session_seen"


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn, vui lòng đăng nhập lại."))
            else:
                if STARTED not in request.session:  # assigning marks the session changed: only once
                    request.session[STARTED] = started
                # Write the session at most once a minute, not on every request.
                if now - seen >= 60 or SEEN not in request.session:
                    request.session[SEEN] = now
        return self.get_response(request)
