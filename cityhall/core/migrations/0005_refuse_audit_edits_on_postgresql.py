"""On PostgreSQL, refuse to delete audit lines or change what their hash covers.

Allowed: sealing an unsealed line (setting its chain columns once), clearing `actor_id` (an
account deleted) and clearing `ip_address` (retention). The chain head may only move forward
and cannot be deleted. TRUNCATE is not refused: test databases are flushed with it, it needs
the table's owner, and `verify_audit_log` detects it through the head. SQLite has no
procedural triggers of this kind; there the chain alone detects edits (docs/decisions/0019).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit line % cannot be deleted: the audit log is append-only', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.recorded_actor_id IS DISTINCT FROM OLD.recorded_actor_id
        OR NEW.action IS DISTINCT FROM OLD.action
        OR NEW.target_type IS DISTINCT FROM OLD.target_type
        OR NEW.target_id IS DISTINCT FROM OLD.target_id
        OR NEW.data IS DISTINCT FROM OLD.data
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL)
        OR (NEW.ip_address IS DISTINCT FROM OLD.ip_address AND NEW.ip_address IS NOT NULL)
        OR (OLD.chain_position IS NOT NULL AND (
            NEW.chain_position IS DISTINCT FROM OLD.chain_position
            OR NEW.previous_hash IS DISTINCT FROM OLD.previous_hash
            OR NEW.line_hash IS DISTINCT FROM OLD.line_hash))
    THEN
        RAISE EXCEPTION 'audit line % cannot be changed: the audit log is append-only', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();

CREATE OR REPLACE FUNCTION core_auditchainhead_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.position < OLD.position THEN
        RAISE EXCEPTION 'the audit chain head only moves forward'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditchainhead_forward_only
    BEFORE UPDATE OR DELETE ON core_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION core_auditchainhead_forward_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditchainhead_forward_only ON core_auditchainhead;
DROP FUNCTION IF EXISTS core_auditchainhead_forward_only();
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def _run(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_chain_the_audit_log")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
