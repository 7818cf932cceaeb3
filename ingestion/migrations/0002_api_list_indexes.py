# Indexes for the API's newest-first lists filtered by repository (ingestion.api.views).
# Built CONCURRENTLY, so that a large commits table stays writable while they build; that
# cannot run inside a transaction, hence atomic = False.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("ingestion", "0001_initial"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="checkrun",
            index=models.Index(fields=["repository", "-id"], name="idx_check_runs_repo_id"),
        ),
        AddIndexConcurrently(
            model_name="commit",
            index=models.Index(fields=["repository", "-id"], name="idx_commits_repo_id"),
        ),
        AddIndexConcurrently(
            model_name="issue",
            index=models.Index(fields=["repository", "-id"], name="idx_issues_repo_id"),
        ),
        AddIndexConcurrently(
            model_name="pullrequest",
            index=models.Index(fields=["repository", "-id"], name="idx_prs_repo_id"),
        ),
    ]
