"""gitinsight_scope_enter_api_key (gitinsight/database/rls.py): an API request checks its key
and enters its scope in one statement."""

from django.db import migrations

from gitinsight.database.rls import API_KEY_FUNCTION_DROP_SQL, API_KEY_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [
        ("gitinsight", "0006_names_in_words"),
    ]

    operations = [migrations.RunSQL(API_KEY_FUNCTION_SQL, API_KEY_FUNCTION_DROP_SQL, elidable=False)]
