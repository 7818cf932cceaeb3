from django_q.models import Schedule

from gitinsight.schedules import DeclaredSchedule

SCHEDULES = [
    DeclaredSchedule("triage: analyse failed checks of open PRs", "triage.failures.tasks.failed_checks_monitor",
                     Schedule.MINUTES, minutes=10),
    DeclaredSchedule("triage: expire failed-check excerpts", "triage.failures.tasks.excerpts_expire",
                     Schedule.DAILY),
    DeclaredSchedule("triage: archive and delete failed-check analyses past retention",
                     "triage.failures.tasks.analyses_expire", Schedule.DAILY),
]
