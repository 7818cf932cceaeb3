"""Triage runs share the pull request's analysis status, spelled in lower case."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0004_root_cause_examples'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE pr_analysis_runs SET status = lower(status)",
            "UPDATE pr_analysis_runs SET status = upper(status)",
        ),
        migrations.AlterField(
            model_name='analysisrun',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('done', 'Done'), ('degraded', 'Degraded'), ('failed', 'Failed')], default='pending', max_length=10),
        ),
    ]
