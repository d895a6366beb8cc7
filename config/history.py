"""Change history kept by the database (django-pghistory): how our event models are made.

Triggers write an event row for every insert, update and delete of a tracked
table, whatever made it: a service, the admin, the shell, a bulk `update()` or
plain SQL. Each row carries its context as JSON: the request's user and path,
or the command or task that made it (config/history_context.py).

The triggers are statement-level: one INSERT ... SELECT from the statement's
transition table. Row-level triggers each run a query, and with the deferred
foreign-key checks of a large INSERT pending, PostgreSQL's trigger queue makes
that quadratic: 100,000 cases loaded by SQL took minutes instead of seconds.

The event tables are append-only in the database (see villages migration
0002_audit_history): no UPDATE, no DELETE unless the transaction ran
`SELECT set_config('grid.purge', 'on', true)` (the retention job), no TRUNCATE
unless it set `grid.flush` the same way (only the test suite's flush does).
"""

import pghistory
import pghistory.trigger
import pgtrigger

ATTACH_CONTEXT = "WITH _pgh_attached_context AS ( SELECT _pgh_attach_context() AS value ) "


class _EventTrigger(pghistory.trigger.Event):
    """pghistory's statement-level trigger, without its upsert into the shared Context table.

    The context is copied into each row as JSON (ContextJSONField), so the row
    in pghistory's Context table, which its function updates in place, is not
    needed: every history table stays append-only.
    """

    def get_func(self, model):
        sql = super().get_func(model).func
        sql = sql.replace(ATTACH_CONTEXT, "").replace(", _pgh_attached_context;", ";")
        if "_pgh_attach" in sql:  # a pghistory release changed the SQL: look again
            raise AssertionError(f"unexpected pghistory trigger SQL: {sql}")
        return pgtrigger.Func(sql)


class _Tracker:
    def add_event_trigger(self, event_model):
        pgtrigger.register(
            _EventTrigger(
                event_model=event_model,
                label=self.label,
                name=self.trigger_name,
                row=self.row,
                operation=self.operation,
                condition=self.condition,
                level=self.level,
            )
        )(event_model.pgh_tracked_model)


class InsertEvent(_Tracker, pghistory.InsertEvent):
    pass


class UpdateEvent(_Tracker, pghistory.UpdateEvent):
    pass


class DeleteEvent(_Tracker, pghistory.DeleteEvent):
    pass


def change_model(tracked_model, *, fields=None, exclude=None, watch=None, obj=True):
    """An abstract event model that records inserts, updates and deletes of `tracked_model`.

    `fields` or `exclude` choose the columns each event row stores. `watch`
    names the columns whose change makes an update event (default: the stored
    ones), so that a change of a column left out (a party's name) still leaves
    a row, without its value. `obj=False` for membership rows (many-to-many
    through tables), which have no object of their own worth pointing to.
    Subclass it in the tracked model's app, with a name of its own.
    """
    update = UpdateEvent(condition=pghistory.AnyChange(*watch)) if watch else UpdateEvent()
    return pghistory.create_event_model(
        tracked_model,
        InsertEvent(),
        update,
        DeleteEvent(),
        fields=fields,
        exclude=exclude,
        level=pghistory.Statement,
        context_field=pghistory.ContextJSONField(),
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+")
        if obj
        else None,
    )
