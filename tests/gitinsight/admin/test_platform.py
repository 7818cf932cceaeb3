"""A user's page quotes the parts of the stored password (algorithm, masked salt and hash) as
code, whatever the hasher: they are identifiers, not words."""

import pytest
from django.contrib.auth.hashers import make_password

from tests.crawl.pages import findings, page_text

pytestmark = pytest.mark.django_db


def test_the_password_summary_is_quoted_as_code(admin_client, alice, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    alice.password = make_password("a-long-password-1", hasher="pbkdf2_sha256")
    alice.save(update_fields=["password"])

    page = admin_client.get(f"/admin/gitinsight/user/{alice.pk}/change/").content.decode()

    assert "<code>pbkdf2_sha256</code>" in page
    assert findings(page_text(page)[0]) == []
