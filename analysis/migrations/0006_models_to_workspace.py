"""AnalysisJob, RepositoryFollow and Notification now belong to workspace (its 0001): only
Django's state forgets them here; the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0005_repository_stats'),
        ('workspace', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='AnalysisJob'),
                migrations.DeleteModel(name='Notification'),
                migrations.DeleteModel(name='RepositoryFollow'),
            ],
        ),
    ]
