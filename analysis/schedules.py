from gitinsight.schedules import DeclaredSchedule

SCHEDULES = [
    DeclaredSchedule(
        name="analysis: retrain commit-risk models",
        func="analysis.tasks.risk_models_retrain",
        schedule_type="W",
    ),
]
