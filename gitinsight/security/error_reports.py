"""What Django's error reports (the DEBUG page, mail_admins emails) may show: settings and
request headers named like secrets are hidden by name, and secrets in any other text
(exception messages, local variables, URLs with passwords) are redacted by value."""

from __future__ import annotations

import re

from django.utils.regex_helper import _lazy_re_compile
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from gitinsight.security.log_redaction import secrets_redact


class SecretHidingReporterFilter(SafeExceptionReporterFilter):
    # Django's list, plus connection strings (DATABASE_URL holds the password), private
    # keys (GITHUB_APP_PRIVATE_KEY) and credentials of any other kind.
    hidden_settings = _lazy_re_compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|DSN|PRIVATE|CREDENTIAL", flags=re.I
    )

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        return secrets_redact(cleansed) if isinstance(cleansed, str) else cleansed


class SecretRedactingExceptionReporter(ExceptionReporter):
    """The rendered report redacted as a whole: also covers what the filter cannot reach
    (the exception message, local variables of undecorated functions)."""

    def get_traceback_html(self) -> str:
        return secrets_redact(str(super().get_traceback_html()))

    def get_traceback_text(self) -> str:
        return secrets_redact(str(super().get_traceback_text()))
