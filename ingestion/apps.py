from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "ingestion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gitinsight.database.tenant_scope import api_key_companion_register
        from gitinsight.operations.panels import operations_panel_register
        from ingestion.operations import ingestion_panel
        from ingestion.selectors import REPOSITORY_IDS, REPOSITORY_IDS_SQL

        # Most API requests list rows of the caller's repositories: their ids come with the
        # key's scope, one round trip fewer (ingestion.api.filters.request_repository_ids).
        api_key_companion_register(REPOSITORY_IDS, REPOSITORY_IDS_SQL)

        operations_panel_register("ingestion", "Ingestion", ingestion_panel, order=10)
