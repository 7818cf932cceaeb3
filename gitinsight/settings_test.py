"""Test settings: the same real PostgreSQL, tasks run synchronously, fast password hashing."""

import os

os.environ.setdefault("Q_SYNC", "1")

from gitinsight.settings import *  # noqa: E402,F403
from gitinsight.settings import Q_CLUSTER  # noqa: E402

Q_CLUSTER = {**Q_CLUSTER, "sync": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Several test runs may share one embedded server (e.g. parallel checkouts); each can pick
# its own test database name.
_test_db_name = os.environ.get("GITINSIGHT_TEST_DB")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}  # noqa: F405
