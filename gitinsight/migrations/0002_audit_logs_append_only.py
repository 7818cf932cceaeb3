from django.db import migrations

# Audit rows may lose their user (SET NULL when a user is deleted) but nothing else
# about them may change, and they cannot be deleted.
SQL = """
CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_logs is append-only';
    END IF;
    IF (NEW.action, NEW.resource_type, NEW.resource_id, NEW.details, NEW.ip_address,
        NEW.user_agent, NEW.created_at)
       IS DISTINCT FROM
       (OLD.action, OLD.resource_type, OLD.resource_id, OLD.details, OLD.ip_address,
        OLD.user_agent, OLD.created_at)
       OR (NEW.user_id IS NOT NULL AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        RAISE EXCEPTION 'audit_logs is append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_logs_append_only
BEFORE UPDATE OR DELETE ON audit_logs
FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_logs_append_only ON audit_logs;
DROP FUNCTION IF EXISTS audit_logs_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("gitinsight", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
