"""One spelling of an analysis status (lower case, pending/running/done/degraded/failed) for
pull requests, repositories and the triage tables: stored values are rewritten to it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gitinsight', '0003_audit_logs_partitioned'),
        ('ingestion', '0003_webhook_deliveries_refused'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='repository',
            name='repositories_analysis_status_valid',
        ),
        migrations.RunSQL(
            "UPDATE pull_requests SET analysis_status = lower(analysis_status)",
            "UPDATE pull_requests SET analysis_status = upper(analysis_status)",
        ),
        migrations.RunSQL(
            "UPDATE repositories SET analysis_status = CASE analysis_status WHEN 'in_progress' THEN 'running' "
            "WHEN 'completed' THEN 'done' ELSE analysis_status END",
            "UPDATE repositories SET analysis_status = CASE analysis_status WHEN 'running' THEN 'in_progress' "
            "WHEN 'done' THEN 'completed' WHEN 'degraded' THEN 'completed' ELSE analysis_status END",
        ),
        migrations.AlterField(
            model_name='pullrequest',
            name='analysis_status',
            field=models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('done', 'Done'), ('degraded', 'Degraded'), ('failed', 'Failed')], default='pending', max_length=10),
        ),
        migrations.AlterField(
            model_name='repository',
            name='analysis_status',
            field=models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('done', 'Done'), ('degraded', 'Degraded'), ('failed', 'Failed')], default='pending', max_length=20),
        ),
        migrations.AddConstraint(
            model_name='repository',
            constraint=models.CheckConstraint(condition=models.Q(('analysis_status__in', ['pending', 'running', 'done', 'degraded', 'failed'])), name='repositories_analysis_status_valid'),
        ),
    ]
