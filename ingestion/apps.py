from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "ingestion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gitinsight.operations.panels import operations_panel_register
        from ingestion.operations import ingestion_panel

        operations_panel_register("ingestion", "Ingestion", ingestion_panel, order=10)
