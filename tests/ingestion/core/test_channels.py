import pytest

from ingestion.core.channels import CHANNEL_RULES_VERSION, classify_path


@pytest.mark.parametrize(
    ("path", "channel"),
    [
        ("src/requests/api.py", "PRODUCTION"),
        ("tests/test_api.py", "TESTS"),
        ("pkg/server/handler_test.go", "TESTS"),
        ("web/src/button.test.tsx", "TESTS"),
        ("zookeeper-server/src/test/java/org/apache/ZkTest.java", "TESTS"),
        ("docs/user/quickstart.rst", "DOCS"),
        ("README.md", "DOCS"),
        ("HISTORY.md", "DOCS"),
        (".github/workflows/tests.yml", "META"),
        ("requirements-dev.txt", "META"),
        ("setup.py", "META"),
        ("LICENSE", "META"),
        ("pom.xml", "META"),
    ],
)
def test_it_puts_each_path_in_its_channel(path, channel):
    assert classify_path(path) == channel


def test_it_has_a_rules_version():
    assert CHANNEL_RULES_VERSION >= 1
