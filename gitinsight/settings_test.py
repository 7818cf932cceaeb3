"""Test settings: the same real PostgreSQL, tasks run synchronously, fast password hashing."""

import os

os.environ.setdefault("Q_SYNC", "1")

from gitinsight.settings import *  # noqa: F403
from gitinsight.settings import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Several test runs may share one embedded server (parallel checkouts, a demo running
# beside the tests): each run gets its own test database unless one is named.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("GITINSIGHT_TEST_DB") or f"test_gitinsight_{os.getpid()}"
}
