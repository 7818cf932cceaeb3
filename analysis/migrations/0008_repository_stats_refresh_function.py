from django.db import migrations

# Refreshing a materialized view needs its owner (or, from PostgreSQL 17, the MAINTAIN
# privilege). The application's role owns nothing, so it refreshes through this function,
# which runs with the rights of its owner, the role that ran the migration, and can do
# nothing else.
SQL = """
CREATE OR REPLACE FUNCTION repository_stats_refresh() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY repository_stats;
END;
$$;
"""

REVERSE = "DROP FUNCTION IF EXISTS repository_stats_refresh();"


class Migration(migrations.Migration):
    dependencies = [("analysis", "0007_global_risk")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
