"""Keep the task queue's claim cheap on PostgreSQL: vacuum its table after every few thousand
changes, and always clean its indexes (docs/decisions/0016).

A claimed task leaves a dead entry at the head of the queue's partial index of ready tasks;
every claim walks over those entries until a vacuum removes them. By default autovacuum waits
for a fifth of the table to be dead, and may skip the indexes when few heap pages changed, so
the walk grew with the table. The settings are storage parameters of the table of
django-tasks-db (which has no place for them): no model changes, and SQLite has no vacuum to
tune.
"""

from django.db import migrations

#: Dead rows (two per task run: claimed, then finished) that start an autovacuum of the table.
QUEUE_TABLE_SETTINGS = (
    "autovacuum_vacuum_scale_factor = 0, "
    "autovacuum_vacuum_threshold = 2000, "
    "autovacuum_vacuum_cost_delay = 0, "
    "vacuum_index_cleanup = on"
)
RESET = (
    "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
    "autovacuum_vacuum_cost_delay, vacuum_index_cleanup"
)


def _alter(settings: str):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("django_tasks_database", "DBTaskResult")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} {settings}")

    return alter


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_add_scheduled_run"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(
            _alter(f"SET ({QUEUE_TABLE_SETTINGS})"), _alter(f"RESET ({RESET})"), elidable=False
        ),
    ]
