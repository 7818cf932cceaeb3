import pytest

from gitinsight.security.redaction import MARK, text_redact, values_pattern

API_KEY = "gi_" + "Xy3_kP9-" * 5 + "abc"
GITHUB_TOKENS = [
    "ghp_" + "a1B2c3D4e5" * 4,
    "gho_" + "Z9y8X7w6V5" * 4,
    "ghs_" + "Q1w2E3r4T5" * 4,
    "github_pat_11ABCDEFG0_" + "x1Y2z3" * 10,
]


@pytest.mark.parametrize(
    "text, secret",
    [
        (f"Authorization: Bearer {API_KEY}", API_KEY),
        (f"{{'HTTP_AUTHORIZATION': 'Bearer {API_KEY}'}}", API_KEY),
        (f"[('authorization', 'token {GITHUB_TOKENS[0]}')]", GITHUB_TOKENS[0]),
        (f"calling with key {API_KEY} failed", API_KEY),
        *[(f"GitHub said no to {token}.", token) for token in GITHUB_TOKENS],
        ("X-Hub-Signature-256: sha256=" + "0123456789abcdef" * 4, "0123456789abcdef" * 4),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----", "MIIEow"),
        ("-----BEGIN PRIVATE KEY-----\\nMIIEow\\n-----END PRIVATE KEY-----", "MIIEow"),
        ("connecting to postgres://gitinsight:hunter2-pw@db.example.org/gitinsight", "hunter2-pw"),
        ("GET /accounts/github/login/callback/?code=4f3e2d1c&state=abc123 HTTP/1.1", "4f3e2d1c"),
        ("GET https://api.github.com/user?access_token=deadbeef42 200", "deadbeef42"),
    ],
)
def test_it_removes_credentials_from_text(text, secret):
    redacted = text_redact(text)
    assert secret not in redacted
    assert MARK in redacted


@pytest.mark.parametrize(
    "text",
    [
        "token validation failed for repository octocat/Hello-World",
        "basic authentication is disabled",
        'WWW-Authenticate: Bearer realm="api"',
        "commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f touched gi_api.py",
        "payload_sha256 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f3f2a9c1d8e7b6a5f4e3d2c1b",
    ],
)
def test_it_leaves_ordinary_text_alone(text):
    assert text_redact(text) == text


def test_it_removes_known_values_but_not_short_ones():
    values = values_pattern(["whsec-very-secret-value", "on", ""])
    assert text_redact("secret is whsec-very-secret-value, debug on", values=values) == f"secret is {MARK}, debug on"
    assert values_pattern(["on", ""]) is None
