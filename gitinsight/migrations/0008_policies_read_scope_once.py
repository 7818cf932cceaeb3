"""The tenant policies read the request's scope once per statement (gitinsight/database/rls.py,
SCOPE_SYSTEM and SCOPE_ORGANIZATIONS) instead of once per row: every tenant table's policy is
written again from the current code. Depends on the last migration of every app with tenant
tables, so that it finds them all."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gitinsight.database.rls import policies_apply

    with schema_editor.connection.cursor() as cursor:
        policies_apply(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("gitinsight", "0007_api_key_scope_function"),
        ("ingestion", "0009_author_commits_newest_first"),
        ("workspace", "0001_initial"),
        ("analysis", "0009_repository_stats_scoped_view"),
        ("triage", "0011_retrieval_indexes_lead_with_repository"),
        ("sprints", "0002_names_in_words"),
    ]

    # Backwards, the policies stay as they are: they mean the same either way.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
