"""What a person reads about a table — the admin's names and help texts, the API schema, a
model's description — never cites the design documents ("seed 003"); migrations may keep
their history, but no model says it any more."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.crawl.pages import FORBIDDEN

DESIGN_REFERENCE = dict(FORBIDDEN)["design-document reference"]


def _project_models():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts:
            yield from config.get_models()


def _texts_of(model) -> list[tuple[str, str]]:
    label = model._meta.label
    texts = [(f"{label} docstring", model.__doc__ or ""),
             (f"{label} verbose name", str(model._meta.verbose_name)),
             (f"{label} plural name", str(model._meta.verbose_name_plural))]
    for field in model._meta.get_fields():
        for attribute in ("help_text", "verbose_name"):
            value = getattr(field, attribute, "")
            if value:
                texts.append((f"{label}.{field.name} {attribute}", str(value)))
    return texts


def test_the_check_knows_a_design_reference_when_it_sees_one():
    assert DESIGN_REFERENCE.search("Last check-run analysis (seed 004).")
    assert DESIGN_REFERENCE.search("repositories: seeds 000-004 merged")
    assert not DESIGN_REFERENCE.search("synthetic features (seed=5)")


def test_no_model_name_help_text_or_description_cites_a_design_document():
    models = list(_project_models())
    cited = [f"{where}: {text}" for model in models for where, text in _texts_of(model)
             if DESIGN_REFERENCE.search(text)]

    assert len(models) > 40
    assert cited == []


@pytest.mark.django_db
def test_the_api_schema_cites_no_design_document(admin_client):
    response = admin_client.get("/api/schema/")

    assert response.status_code == 200
    schema = response.content.decode()
    assert "paths:" in schema or '"paths"' in schema
    assert DESIGN_REFERENCE.findall(schema) == []
