from gitinsight.schedules import DeclaredSchedule

SCHEDULES = [
    DeclaredSchedule(
        name="sprints: refresh open milestone forecasts",
        func="sprints.tasks.forecasts_refresh_daily",
        schedule_type="D",
    ),
    DeclaredSchedule(
        name="sprints: index search documents",
        func="sprints.tasks.search_documents_index_all",
        schedule_type="H",
    ),
]
