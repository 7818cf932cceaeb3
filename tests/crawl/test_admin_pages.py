"""Every admin page a maintainer reaches from the index, on the demo's data, reads as words:
no JSON, Python reprs, long floats, SHOUTING_CASE or lower_snake_case codes, bare None,
design-document references, and no error status. Code quoted as code (`<code>`, `<pre>`), a
path and a repository's name are read as they are."""

import pytest
from django.conf import settings
from django.test import Client

from gitinsight.models import User
from tests.crawl.pages import crawl, findings, page_text
from workspace.services.demo import demo_run


def test_the_crawl_sees_what_a_person_reads_and_what_they_should_not():
    text, links = page_text('<p>risk <b>52 %</b></p><script>var x = {"a": 1}</script>'
                            '<pre data-verbatim>{"raw": null}</pre><a href="/admin/x/">x</a>')
    assert (text, links) == ("risk 52 % x", ["/admin/x/"])
    assert findings(text) == []
    for shown in ['{"feature": "la"}', "['1b9bda8e']", "0.5152082440723025", "SAME_CHANGE", "riskiest commit None",
                  "(seed 003)", "ci_review", "Channel check_run", "pull_request opened", "lint_format, notify_author"]:
        assert findings(f"the page says {shown} here"), shown


def test_the_crawl_reads_paths_repositories_and_quoted_code_as_they_are():
    text, _links = page_text("<p>changed src/gitinsight/admin_scoping.py and pull_request.py in octo_org/repo_name "
                             "by @some_user, see docs/first_day.md</p>"
                             "<dd><code>get_readonly_fields</code>, <code>save_model</code></dd>"
                             "<pre>def commit_file_fields(): ...</pre>")
    assert "get_readonly_fields" not in text and "commit_file_fields" not in text
    assert findings(text) == []


@pytest.mark.django_db
def test_every_admin_page_reachable_from_the_index_reads_as_words():
    demo = User.objects.create_superuser(username="demo", password="a-long-password-1")
    demo_run(path=str(settings.BASE_DIR))
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(demo)

    result = crawl(client, limit=600, per_list=2)

    assert len(result.pages) > 80
    assert result.problems == {}
