"""The request being served, for code far from the view that must record who did what
(audit rows written from signals). Set by RequestContextMiddleware."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("gitinsight_request_context", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


def set_request_context(context: RequestContext | None):
    return _current.set(context)


def reset_request_context(token) -> None:
    _current.reset(token)
