"""Who changed things when no request did: the management command or Celery task.

Inside a request pghistory's middleware records `{"user": id, "url": path}` as
the context of every change (config/history.py). `command_context` records
`{"command": name}` for management commands (the shell included) and the Celery
hooks `{"task": name}`. A history row without context was written outside all
of them (SQL typed into psql, a migration).

Only the standard library is imported at module level: manage.py imports this
before Django is set up.
"""

import contextlib

# Commands that write no tracked rows, or run SQL pghistory must not prefix:
# migrations run RunSQL text without parameters, where a "%" would break.
COMMANDS_WITHOUT_CONTEXT = {"migrate", "runserver", "test", "makemigrations", "sqlmigrate"}


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
