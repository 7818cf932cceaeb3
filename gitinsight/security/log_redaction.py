"""Secrets removed from every log record before any handler sees it.

Installed as the log record factory (GitInsightConfig.ready) rather than as a filter on our
handlers: a handler filter only guards its own handler, while records also reach Django's
mail_admins and runserver handlers, pytest's caplog and whatever a deployment adds."""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import cache

from django.conf import settings

from gitinsight.security.redaction import text_redact, values_pattern

#: names of settings and environment variables whose values are secrets
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|(?:^|_)KEYS?(?:_|$)", re.I)


@cache
def secret_values() -> re.Pattern[str] | None:
    """The values of settings and environment variables named like secrets, and the
    database passwords. Cached; `secret_values_forget` runs when a setting changes."""
    values: list[str] = []
    named = [(name, getattr(settings, name, None)) for name in dir(settings) if name.isupper()]
    for name, value in [*named, *os.environ.items()]:
        if not SECRET_NAME.search(name):
            continue
        items = value if isinstance(value, list | tuple) and name.endswith("FALLBACKS") else [value]
        for item in items:
            if isinstance(item, str):
                # A PEM key in the environment may have its newlines written as \n.
                values += [item, item.replace("\\n", "\n")]
    values += [str(db.get("PASSWORD") or "") for db in settings.DATABASES.values()]
    return values_pattern(values)


def secrets_redact(text: str) -> str:
    """`text` with its secrets redacted: those recognisable by shape and the configured values."""
    return text_redact(text, values=secret_values())


def secret_values_forget(**kwargs) -> None:
    secret_values.cache_clear()


class SecretRedactionFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack without secrets; keeps every record."""

    _busy = threading.local()  # a record logged while redacting one (a warning) is left alone

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(self._busy, "active", False):
            return True
        self._busy.active = True
        try:
            self._redact(record)
        finally:
            self._busy.active = False
        return True

    def _redact(self, record: logging.LogRecord) -> None:
        values = secret_values()
        try:
            message = record.getMessage()
        except Exception:
            return  # a malformed record: logging reports it when a handler formats it
        redacted = text_redact(message, values=values)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            # Formatters print exc_text, when set, instead of formatting exc_info again.
            text = logging.Formatter().formatException(record.exc_info)
            redacted = text_redact(text, values=values)
            if redacted != text:
                record.exc_text = redacted
        if record.stack_info:
            record.stack_info = text_redact(record.stack_info, values=values)


def log_redaction_install() -> None:
    """Wrap the current log record factory so that every record is redacted when it is
    made. Idempotent."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_secrets", False):
        return
    redaction = SecretRedactionFilter()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        redaction.filter(record)
        return record

    factory.redacts_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
