"""AnalysisJob, RepositoryFollow and Notification move here from analysis. Their tables stay
as they are (each model sets db_table), so only Django's state changes; the content types
follow, and with them the permissions and admin history that point at them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import workspace.models.follow

MOVED = ("analysisjob", "repositoryfollow", "notification")


def content_types_follow(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="workspace", model=model).exists():
            ContentType.objects.filter(app_label="analysis", model=model).update(app_label="workspace")


def content_types_return(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="analysis", model=model).exists():
            ContentType.objects.filter(app_label="workspace", model=model).update(app_label="analysis")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('analysis', '0005_repository_stats'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('ingestion', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AnalysisJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('type', models.CharField(max_length=50)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('in_progress', 'In Progress'), ('completed', 'Completed'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=20)),
                        ('options', models.JSONField(blank=True, default=dict)),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('message', models.CharField(blank=True, help_text='What the job is doing now.', max_length=255)),
                        ('result', models.JSONField(blank=True, default=dict)),
                        ('error_message', models.TextField(blank=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('repository', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='analysis_jobs', to='ingestion.repository')),
                    ],
                    options={
                        'db_table': 'analysis_jobs',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['status'], name='idx_analysis_jobs_status'), models.Index(fields=['type'], name='idx_analysis_jobs_type'), models.Index(fields=['-created_at'], name='idx_analysis_jobs_created_at'), models.Index(fields=['repository', 'status'], name='idx_analysis_jobs_repo_status'), models.Index(fields=['status', '-created_at'], name='idx_analysis_jobs_status_crtd')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('progress__gte', 0), ('progress__lte', 100)), name='analysis_jobs_progress_0_100'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'in_progress', 'completed', 'failed', 'cancelled'])), name='analysis_jobs_status_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('event_key', models.CharField(help_text='e.g. high_risk_commit:<sha>; unique per user.', max_length=200)),
                        ('subject', models.CharField(max_length=255)),
                        ('body', models.TextField()),
                        ('url', models.CharField(blank=True, max_length=500)),
                        ('channel', models.CharField(default='email', max_length=10)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('repository', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='ingestion.repository')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'notifications',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['user', '-created_at'], name='idx_notifications_user')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'event_key', 'channel'), name='notifications_once_per_event')],
                    },
                ),
                migrations.CreateModel(
                    name='RepositoryFollow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('followed_at', models.DateTimeField(auto_now_add=True)),
                        ('notification_settings', models.JSONField(default=workspace.models.follow.default_notification_settings)),
                        ('repository', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='ingestion.repository')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'user_repository_follows',
                        'indexes': [models.Index(fields=['repository'], name='idx_follows_repository'), models.Index(fields=['-followed_at'], name='idx_follows_followed_at')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'repository'), name='follows_unique_user_repository')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
