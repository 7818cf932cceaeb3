"""GitHub webhooks: the view (ingestion.api.webhooks) verifies, records and enqueues
(intake.py); a django-q2 task turns the stored delivery into rows (processing.py, handlers_*.py)."""
