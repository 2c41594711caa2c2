"""The contact log is append-only in PostgreSQL itself, not only in Python.

Triggers refuse UPDATE and DELETE of any entry and TRUNCATE of the table, whoever asks. The
one exception: a test database's flush between tests (see ``dispatch.db``) may set
``dispatch.allow_log_truncate`` for its own transaction. Production also gives the web
service a database role without UPDATE, DELETE or TRUNCATE on the table (docker-compose.yml).
"""

from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION intake_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('dispatch.allow_log_truncate', true) = 'on'
       AND current_database() LIKE 'test\\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the contact log is append-only: % on intake_event is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER intake_event_no_update_delete
    BEFORE UPDATE OR DELETE ON intake_event
    FOR EACH ROW EXECUTE FUNCTION intake_event_append_only();
CREATE TRIGGER intake_event_no_truncate
    BEFORE TRUNCATE ON intake_event
    FOR EACH STATEMENT EXECUTE FUNCTION intake_event_append_only();
INSERT INTO intake_loghead (id, count, hash) VALUES (1, 0, repeat('0', 64));
"""

REMOVE = """
DROP TRIGGER intake_event_no_truncate ON intake_event;
DROP TRIGGER intake_event_no_update_delete ON intake_event;
DROP FUNCTION intake_event_append_only();
DELETE FROM intake_loghead;
"""


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_contacts_and_log")]

    operations = [migrations.RunSQL(APPEND_ONLY, REMOVE)]
