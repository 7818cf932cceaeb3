from gitinsight.schedules import DeclaredSchedule

SCHEDULES = [
    DeclaredSchedule(
        name="analysis: retrain commit-risk models",
        func="analysis.tasks.risk_models_retrain",
        schedule_type="W",
    ),
    DeclaredSchedule(
        name="analysis: compute repository insights",
        func="analysis.tasks.insights_refresh_all",
        schedule_type="D",
    ),
    DeclaredSchedule(
        name="analysis: refresh repository statistics",
        func="analysis.tasks.repository_stats_refresh_task",
        schedule_type="H",
    ),
]
