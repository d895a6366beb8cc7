"""The roll-ups under concurrent writers: real threads, real transactions, real locks."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from disputes.cases.services.events import day_mark_dirty
from disputes.models import (
    Case,
    CaseDayCountyFigure,
    CaseDayFigure,
    CaseDayTownshipFigure,
    FigureDirtyDay,
)
from disputes.reporting.services.figures import figures_rebuild, figures_refresh
from tests.disputes.reporting.test_figures import Reporter

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def totals():
    return (
        CaseDayFigure.objects.aggregate(n=Sum("received"))["n"],
        CaseDayTownshipFigure.objects.aggregate(n=Sum("received"))["n"],
        CaseDayCountyFigure.objects.aggregate(n=Sum("received"))["n"],
    )


def test_a_refresh_during_a_whole_county_rebuild_waits_and_counts_each_case_once(territory):
    report = Reporter(territory)
    for _ in range(3):
        report()
    FigureDirtyDay.objects.all().delete()
    rebuilding, finish = threading.Event(), threading.Event()

    def rebuild():
        with transaction.atomic():
            figures_rebuild(territory.county.pk)
            rebuilding.set()
            finish.wait(10)  # the rebuild's transaction stays open until told
        connection.close()

    def refresh():
        figures_refresh()
        connection.close()

    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    assert rebuilding.wait(10)
    day_mark_dirty(Case.objects.first())  # a change to a case of that day, committed
    refresher = threading.Thread(target=refresh)
    refresher.start()
    refresher.join(1)
    assert refresher.is_alive(), "the refresh should wait for the rebuild's county lock"
    finish.set()
    rebuilder.join(10)
    refresher.join(10)

    assert totals() == (3, 3, 3)
    assert not FigureDirtyDay.objects.exists()


def test_changes_committed_while_their_day_is_rebuilt_are_not_lost(territory):
    """A mark written during a refresh is left for the next one, which counts the change."""
    report = Reporter(territory)
    report()
    figures_refresh()
    assert totals() == (1, 1, 1)
    barrier = threading.Barrier(4)

    def add():
        barrier.wait()
        report()
        connection.close()

    def refresh():
        barrier.wait()
        figures_refresh()
        connection.close()

    threads = [threading.Thread(target=add) for _ in range(2)]
    threads += [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    figures_refresh()  # what beat's next run does

    assert totals() == (3, 3, 3)
    assert not FigureDirtyDay.objects.exists()
