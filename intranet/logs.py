"""Structured logs: every line carries the id of the request (or of the Celery task) it belongs to,
JSON in production (settings.LOG_FORMAT), so the lines of one request can be found together."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{8,100}")  # an id our TLS proxy may have set already


def current_request_id() -> str:
    return _request_id.get()


def request_id_middleware(get_response):
    """Gives each request an id (the proxy's X-Request-ID when it looks like one), puts it in the
    logs of everything the request does, and sends it back in X-Request-ID."""

    def middleware(request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs the response's
        # status (« Not Found »…) after the middleware has returned.
        _request_id.set(request.request_id)
        response = get_response(request)
        response["X-Request-ID"] = request.request_id
        return response

    return middleware


@receiver(request_finished)
def _request_done(**kwargs):
    _request_id.set("")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request's, else the running Celery task's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get() or _task_id()
        return True


def _task_id() -> str:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover (celery is a dependency)
        return ""
    request = getattr(current_task, "request", None) if current_task else None
    return getattr(request, "id", "") or ""
