"""Row-level security for the check-run tables of triage 0007 (gitinsight/database/rls.py):
the policies of gitinsight 0005 cover the tables that existed when it ran."""

from django.db import migrations


def _models():
    from triage.verdicts.models import CheckRunPolicy, CheckRunPost, PullRequestCheckRun

    return [CheckRunPolicy, PullRequestCheckRun, CheckRunPost]


def forwards(apps, schema_editor):
    from gitinsight.database.rls import policies_apply

    with schema_editor.connection.cursor() as cursor:
        policies_apply(cursor, _models())


def backwards(apps, schema_editor):
    from gitinsight.database.rls import policy_drop_sql

    with schema_editor.connection.cursor() as cursor:
        for model in _models():
            for statement in policy_drop_sql(model):
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("gitinsight", "0005_row_level_security"),
        ("triage", "0007_check_runs"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
