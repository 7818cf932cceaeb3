"""Posting-list indexes ordered by pull request (newest first) and covering head_sha, so the
capped candidate lookups are index-only scans and "older than" is an index bound. Built
concurrently (these tables are large and written by every analysis), new before old."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("triage", "0002_check_analysis"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="changedpath",
            index=models.Index(fields=["repository", "path", "-pull_request"], include=("head_sha",),
                               name="idx_pr_paths_repo_path_pr"),
        ),
        AddIndexConcurrently(
            model_name="changedpath",
            index=models.Index(fields=["repository", "dir_prefix_2", "-pull_request"], include=("head_sha",),
                               name="idx_pr_paths_repo_prefix2pr"),
        ),
        AddIndexConcurrently(
            model_name="lshbucketentry",
            index=models.Index(fields=["repository", "index_name", "bucket_id", "-pull_request"],
                               include=("head_sha",), name="idx_lsh_repo_bucket_pr"),
        ),
        AddIndexConcurrently(
            model_name="symbol",
            index=models.Index(fields=["repository", "kind", "symbol", "-pull_request"], include=("head_sha",),
                               name="idx_pr_symbols_repo_sym_pr"),
        ),
        RemoveIndexConcurrently(model_name="changedpath", name="idx_pr_paths_repo_path"),
        RemoveIndexConcurrently(model_name="changedpath", name="idx_pr_paths_repo_prefix2"),
        RemoveIndexConcurrently(model_name="lshbucketentry", name="idx_lsh_repo_index_bucket"),
        RemoveIndexConcurrently(model_name="symbol", name="idx_pr_symbols_repo_kind_sym"),
    ]
