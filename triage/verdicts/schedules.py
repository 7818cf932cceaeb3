from django_q.models import Schedule

from gitinsight.schedules import DeclaredSchedule

SCHEDULES = [
    DeclaredSchedule("triage: post GitInsight check runs again", "triage.verdicts.tasks.check_runs_retry_task",
                     Schedule.MINUTES, minutes=1),
]
