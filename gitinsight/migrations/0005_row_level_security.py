"""Row-level security on every tenant table (gitinsight/database/rls.py). The policies are
written from the models' `tenant_path` as they are when this runs, so this migration depends
on the last migration of every app with tenant tables; a tenant model added later needs a
migration of its own that calls `policies_apply(cursor, [Model])` (tests/gitinsight/database/
test_rls.py fails until it has one)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gitinsight.database.rls import policies_apply

    with schema_editor.connection.cursor() as cursor:
        policies_apply(cursor)


def backwards(apps, schema_editor):
    from gitinsight.database.rls import policies_remove

    with schema_editor.connection.cursor() as cursor:
        policies_remove(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("gitinsight", "0004_user_staff_revoked"),
        ("ingestion", "0006_unused_columns_removed"),
        ("workspace", "0001_initial"),
        ("analysis", "0008_repository_stats_refresh_function"),
        ("triage", "0006_config_version_not_editable"),
        ("sprints", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
