"""Emerging-hotspot alerts: a quiet county stays quiet; a cluster raises exactly one alert, once."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from disputes.alerts.models import HotspotAlert
from disputes.alerts.services.alerts import alerts_run
from disputes.alerts.statistics import negbin_upper_tail, poisson_upper_tail, rise_test
from disputes.models import Notification
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, XINGYANG_01, api, case_payload
from tests.disputes.reporting.test_figures import SHANGHAI

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 18)  # a Wednesday


def test_the_tails_match_values_worked_out_by_hand():
    # P(X >= 5), X ~ Poisson(1) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24)
    assert poisson_upper_tail(5, 1.0) == pytest.approx(0.00365984, rel=1e-5)
    assert poisson_upper_tail(1, 2.0) == pytest.approx(0.864665, rel=1e-5)
    assert poisson_upper_tail(0, 3.0) == 1.0
    # size 1 is geometric: P(X >= k) = (mean / (1 + mean))^k
    assert negbin_upper_tail(5, 2.0, 1.0) == pytest.approx((2 / 3) ** 5, rel=1e-9)
    # far in the tail the sum still holds its digits
    assert poisson_upper_tail(30, 1.0) == pytest.approx(3.8e-33, rel=0.05)


def test_the_test_chosen_follows_the_spread_of_the_weeks_before():
    steady = rise_test(6, [1, 1, 1, 1, 1, 1, 1, 1])
    assert (steady.method, steady.expected) == ("poisson", 1.0)
    bursty = rise_test(6, [0, 0, 4, 0, 0, 4, 0, 0])
    assert bursty.method == "negbin" and bursty.p_value > steady.p_value
    quiet = rise_test(6, [0] * 8)
    assert quiet.expected == pytest.approx(0.0625)  # half a case over eight weeks


def _report(territory, day, point, category="neighbours", n=0):
    moment = datetime(day.year, day.month, day.day, 10, n % 50, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        response = api(territory.users["county_office"]).post(
            "/api/cases/",
            case_payload(
                point=(point[0], point[1] + (n % 50) * 0.0004),
                category=category,
                parties=[{"role": "complainant", "name": f"当事人{n}", "phone": f"1390000{n:04d}"}],
            ),
            format="json",
        )
    assert response.status_code == 201, response.data


@pytest.fixture
def quiet(territory):
    """Nine weeks of one neighbours' case a week in each of three villages, this week included."""
    n = 0
    for week in range(9):
        for point in (XINGYANG_01, NANZHOU_01, WUCHENG_01):
            n += 1
            _report(territory, TODAY - timedelta(days=7 * week + 1), point, n=n)
    return territory


def _run(day=TODAY):
    with time_machine.travel(datetime(day.year, day.month, day.day, 6, 30, tzinfo=SHANGHAI)):
        return alerts_run(today=day)


def test_a_quiet_county_raises_nothing(quiet):
    assert _run() == []
    assert not HotspotAlert.objects.exists()


def test_a_cluster_raises_one_alert_there_and_none_elsewhere_nor_twice(quiet, client):
    territory = quiet
    for n in range(6):
        _report(territory, TODAY - timedelta(days=n % 3), XINGYANG_01, "land-housing", n=100 + n)
    raised = _run()
    assert [(a.village, a.category.code) for a in raised] == [(territory.xingyang, "land-housing")]
    alert = raised[0]
    assert (alert.observed, alert.method, alert.window_start, alert.window_end) == (
        6,
        "poisson",
        date(2026, 3, 12),
        date(2026, 3, 18),
    )
    assert alert.p_value < alert.threshold == pytest.approx(0.05 / (3 * 11))
    # Told: the township's leader and the county office, with the method and its numbers.
    told = Notification.objects.filter(link__contains=territory.xingyang.code)
    assert sorted(told.values_list("user__username", flat=True)) == [
        "county_office",
        "leader_tubu",
    ]
    message = told.first().message
    assert "6" in message and "p = " in message and territory.xingyang.name in message

    # Again the same day and the next: the week has its alert already.
    assert _run() == []
    assert _run(TODAY + timedelta(days=1)) == []
    assert HotspotAlert.objects.count() == 1 and told.count() == 2

    # The link frames the hotspot map on the village, the category and the window.
    link = told.first().link
    client.force_login(territory.users["township_leader"])
    page = client.get(link).content.decode()
    assert f'data-level="village" data-code="{territory.xingyang.code}"' in page
    assert '<option value="land-housing" selected>' in page
    assert '<option value="7" selected>7</option>' in page
    client.force_login(territory.users["other_township_leader"])
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["level=village", "days=0", "days=400", "category=no-such", "level=moon&code=1"],
)
def test_a_badly_framed_map_says_what_is_wrong(territory, client, query):
    client.force_login(territory.users["county_office"])
    response = client.get(f"/maps/hotspots/?{query}")
    assert response.status_code == 400
    assert 'id="frame-errors"' in response.content.decode()
