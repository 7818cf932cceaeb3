"""Columns nothing wrote: a commit's single merging pull request (pull_request_commits links a
pull request to its commits, and a commit may be in several), a pull request file's detected
language, a repository's config override and a workflow run's test results."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ingestion', '0005_pr_state_history_partitioned'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='commit',
            name='idx_commits_pr',
        ),
        migrations.RemoveField(
            model_name='commit',
            name='pull_request',
        ),
        migrations.RemoveField(
            model_name='pullrequestfile',
            name='detected_language',
        ),
        migrations.RemoveField(
            model_name='repository',
            name='config_override',
        ),
        migrations.RemoveField(
            model_name='workflowrun',
            name='test_results',
        ),
    ]
