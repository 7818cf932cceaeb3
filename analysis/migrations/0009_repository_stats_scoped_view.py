"""Statistics behind the tenant wall. A materialized view cannot carry a row-level security
policy, so the counts move to `repository_stats_all`, which the runtime role may not read,
and `repository_stats` becomes a view over it that keeps the rows of the organizations in
the current scope (the same scope functions the policies use, gitinsight/database/rls.py).
The view runs with its owner's rights, which is what lets it read the hidden counts; its
own condition is the wall. `security_barrier` keeps a caller's functions from seeing rows
before the condition has filtered them. The runtime role's rights follow after the migrate
(gitinsight/database/roles.py: no materialized view is readable by it)."""

from django.db import migrations

FORWARD = """
ALTER MATERIALIZED VIEW repository_stats RENAME TO repository_stats_all;
CREATE VIEW repository_stats WITH (security_barrier) AS
SELECT s.* FROM repository_stats_all s
WHERE gitinsight_scope_system()
   OR EXISTS (SELECT 1 FROM repositories r
              WHERE r.id = s.id AND r.organization_id = ANY (gitinsight_scope_organizations()));
CREATE OR REPLACE FUNCTION repository_stats_refresh() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY repository_stats_all;
END;
$$;
"""

BACKWARD = """
DROP VIEW repository_stats;
ALTER MATERIALIZED VIEW repository_stats_all RENAME TO repository_stats;
CREATE OR REPLACE FUNCTION repository_stats_refresh() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY repository_stats;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0008_repository_stats_refresh_function"),
        ("gitinsight", "0005_row_level_security"),
    ]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
