"""Change history kept by the database (django-pghistory), and who made each change.

Triggers write an event row for every insert, update and delete of a tracked
table, whatever made it: a service, the admin, the shell, a bulk `update()` or
plain SQL. Each row carries its context as JSON: inside a request pghistory's
middleware records `{"user": id, "url": path}`; `command_context` records
`{"command": name}` for management commands (the shell included) and the Celery
hooks `{"task": name}`. A row without context was written outside all of them
(SQL typed into psql, a migration).

The event tables are append-only in the database (see villages migration
0002_audit_history): no UPDATE, no DELETE unless the transaction ran
`SELECT set_config('grid.purge', 'on', true)` (the retention job), no TRUNCATE
unless it set `grid.flush` the same way (only the test suite's flush does).

Only the standard library is imported at module level: manage.py imports this
before Django is set up.
"""

import contextlib

# Commands that write no tracked rows, or run SQL pghistory must not prefix:
# migrations run RunSQL text without parameters, where a "%" would break.
COMMANDS_WITHOUT_CONTEXT = {"migrate", "runserver", "test", "makemigrations", "sqlmigrate"}


def change_model(tracked_model, *, fields=None, exclude=None, watch=None, obj=True):
    """An abstract event model that records inserts, updates and deletes of `tracked_model`.

    `fields` or `exclude` choose the columns each event row stores. `watch`
    names the columns whose change makes an update event (default: the stored
    ones), so that a change of a column left out (a party's name) still leaves
    a row, without its value. `obj=False` for membership rows (many-to-many
    through tables), which have no object of their own worth pointing to.
    Subclass it in the tracked model's app, with a name of its own.
    """
    import pghistory

    update = (
        pghistory.UpdateEvent(condition=pghistory.AnyChange(*watch))
        if watch
        else pghistory.UpdateEvent()
    )
    return pghistory.create_event_model(
        tracked_model,
        pghistory.InsertEvent(),
        update,
        pghistory.DeleteEvent(),
        fields=fields,
        exclude=exclude,
        # Context in each row, not in pghistory's shared Context table, which
        # its triggers update in place: every history row stays append-only.
        context_field=pghistory.ContextJSONField(),
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+")
        if obj
        else None,
    )


@contextlib.contextmanager
def command_context(argv):
    """Record the management command's name as the context of the changes it makes."""
    name = argv[1] if len(argv) > 1 else ""
    if not name or name.startswith("-") or name in COMMANDS_WITHOUT_CONTEXT:
        yield
        return
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    import pghistory

    with pghistory.context(command=name):
        yield


_task_contexts = {}


def _task_started(task_id=None, task=None, **_kwargs):
    import pghistory

    context = pghistory.context(task=task.name)
    context.__enter__()
    _task_contexts[task_id] = context


def _task_finished(task_id=None, **_kwargs):
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


def connect_task_context():
    """Record the Celery task's name as the context of the changes it makes."""
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, dispatch_uid="history-task-started")
    task_postrun.connect(_task_finished, dispatch_uid="history-task-finished")
