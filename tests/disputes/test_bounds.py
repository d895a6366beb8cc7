"""Every number a request carries has bounds: out of them is a 400 that says why, never a 500.

And what the bounds let in can never overflow a sum in the figures; a day
whose roll-up cannot be rebuilt is skipped and reported, never blocking the
others.
"""

import json
import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from disputes.models import Case, CaseDayFigure, FigureDirtyDay
from disputes.reporting.services.figures import figures_refresh
from tests.disputes.conftest import api, case_payload

pytestmark = pytest.mark.django_db


def logged_in(user, language="zh-hans"):
    """A browser session (the map views are pages' data, not the token API)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def leader(territory):
    return logged_in(territory.users["township_leader"])


class TestMapParameters:
    @pytest.mark.parametrize("zoom", ["99999999999", "-1", "23", "abc", "1e3"])
    def test_a_zoom_out_of_bounds_is_a_400_naming_it(self, leader, zoom):
        response = leader.get(
            "/maps/api/boundaries/", {"level": "township", "code": "360425100", "zoom": zoom}
        )
        assert response.status_code == 400
        assert list(response.json()) == ["zoom"]

    def test_the_message_is_in_the_user_s_language(self, territory):
        query = {"level": "township", "code": "360425100", "zoom": "-1"}
        leader = territory.users["township_leader"]
        chinese = logged_in(leader).get("/maps/api/boundaries/", query)
        english = logged_in(leader, "en").get("/maps/api/boundaries/", query)
        assert "大于或等于" in chinese.json()["zoom"][0]
        assert "greater than or equal" in english.json()["zoom"][0]

    def test_a_zoom_within_bounds_draws(self, leader):
        response = leader.get(
            "/maps/api/boundaries/", {"level": "township", "code": "360425100", "zoom": "22"}
        )
        assert response.status_code == 200

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"days": "0"}, "days"),
            ({"days": "367"}, "days"),
            ({"eps": "abc"}, "eps"),
            ({"min_points": "1"}, "min_points"),
            ({"status": "bogus"}, "status"),
            ({"reported_after": "2026-13-45"}, "reported_after"),
        ],
    )
    def test_clusters_refuse_bad_parameters(self, leader, query, field):
        response = leader.get("/maps/api/clusters/", query)
        assert response.status_code == 400
        assert field in response.json()

    @pytest.mark.parametrize("query", [{"level": "planet", "code": "1"}, {"level": "township"}])
    def test_unit_figures_refuse_a_bad_unit(self, leader, query):
        assert leader.get("/maps/api/figures/", query).status_code == 400

    def test_a_tile_with_a_bad_filter_is_a_400(self, leader):
        response = leader.get("/tiles/cases/12/3392/1689.pbf", {"reported_before": "yesterday"})
        assert response.status_code == 400
        assert "reported_before" in response.json()


class TestApiParameters:
    @pytest.mark.parametrize(
        "bbox",
        ["nan,nan,nan,nan", "1,2,3", "inf,0,1,1", "200,0,210,10", "10,10,0,0", "a,b,c,d"],
    )
    def test_a_bad_bounding_box_is_a_400(self, leader, bbox):
        response = leader.get("/api/cases/", {"in_bbox": bbox})
        assert response.status_code == 400
        assert "in_bbox" in response.data["detail"]

    def test_a_good_bounding_box_filters(self, leader, report):
        report()
        inside = leader.get("/api/cases/", {"in_bbox": "115.8,29.0,115.82,29.03"})
        outside = leader.get("/api/cases/", {"in_bbox": "115.9,29.0,115.95,29.03"})
        assert (inside.data["count"], outside.data["count"]) == (1, 0)

    @pytest.mark.parametrize(
        "path",
        [
            "/api/cases/null,null/",
            "/api/cases/-1/",
            "/api/cases/99999999999999999999/",
            "/api/cases/1.5/accept/",
            "/api/teams/abc/",
            "/api/exports/1e3/",
            "/bulletins/999999999999999999999/",
            "/supervision/99999999999999999999/notice/",
        ],
    )
    def test_an_id_that_is_not_a_key_is_a_404(self, leader, path):
        assert leader.get(path).status_code == 404

    def test_json_nested_thousands_deep_is_a_400(self, territory):
        body = "[" * 100_000 + "]" * 100_000
        response = api(territory.users["grid_worker"]).post(
            "/api/cases/", body, content_type="application/json"
        )
        assert response.status_code == 400
        assert "nested" in response.data["detail"]


class TestReportedNumbers:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"people_involved": 2**31}, "people_involved"),
            ({"people_involved": 2_147_483_647}, "people_involved"),
            ({"people_involved": 100_001}, "people_involved"),
            ({"people_involved": 0}, "people_involved"),
            ({"amount_at_stake": "100000000000"}, "amount_at_stake"),
            ({"amount_at_stake": "-1"}, "amount_at_stake"),
            ({"accuracy_m": 1e9}, "accuracy_m"),
            ({"accuracy_m": -1}, "accuracy_m"),
            ({"occurred_at": "1900-01-01T08:00:00+08:00"}, "occurred_at"),
            ({"occurred_at": "2999-01-01T08:00:00+08:00"}, "occurred_at"),
        ],
    )
    def test_a_number_out_of_range_is_refused(self, territory, overrides, field):
        response = api(territory.users["grid_worker"]).post(
            "/api/cases/", case_payload(**overrides), format="json"
        )
        assert response.status_code == 400
        assert field in response.data
        assert not Case.objects.exists()

    @pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
    def test_a_number_that_is_not_finite_is_refused(self, territory, value):
        body = json.dumps(case_payload()).replace('"accuracy_m": 8.5', f'"accuracy_m": {value}')
        response = api(territory.users["grid_worker"]).post(
            "/api/cases/", body, content_type="application/json"
        )
        assert response.status_code == 400
        form = api(territory.users["grid_worker"]).post(
            "/api/cases/",
            {**case_payload(parties=[]), "accuracy_m": value.lower(), "longitude": "nan"},
        )
        assert form.status_code == 400
        assert {"accuracy_m", "longitude"} <= set(form.data)
        assert not Case.objects.exists()

    def test_a_session_held_before_1949_or_in_the_future_is_refused(self, territory):
        case_id = (
            api(territory.users["grid_worker"])
            .post("/api/cases/", case_payload(), format="json")
            .data["id"]
        )
        tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
        for held_on in ("1900-01-01", tomorrow):
            response = api(territory.users["grid_worker"]).post(
                f"/api/cases/{case_id}/sessions/",
                {"held_on": held_on, "attendees": "张三"},
                format="json",
            )
            assert response.status_code == 400
            assert "held_on" in response.data


class TestRollups:
    def test_the_largest_accepted_values_sum_without_overflow(self, territory, report):
        for _ in range(3):
            assert report(people_involved=100_000, amount_at_stake="10000000000").status_code == 201
        # A value stored before the bounds existed, as the one that froze the figures.
        Case.objects.update(people_involved=2_147_483_647)
        FigureDirtyDay.objects.create(county_id=territory.county.pk, day=timezone.localdate())
        figures_refresh()
        row = CaseDayFigure.objects.get()
        assert row.people == 3 * 2_147_483_647
        assert row.amount == 3 * 10_000_000_000

    def test_a_day_that_cannot_be_rebuilt_is_skipped_and_reported(self, territory, report, caplog):
        report()
        today = timezone.localdate()
        yesterday = today - timedelta(days=1)
        Case.objects.create(
            **{
                f.name: getattr(Case.objects.get(), f.name)
                for f in Case._meta.concrete_fields
                if f.name not in ("id", "uuid", "reported_at")
            }
        )
        Case.objects.filter(pk=Case.objects.order_by("pk").last().pk).update(
            reported_at=timezone.now() - timedelta(days=1)
        )
        CaseDayFigure.objects.all().delete()
        FigureDirtyDay.objects.all().delete()
        for day in (today, yesterday):
            FigureDirtyDay.objects.create(county_id=territory.county.pk, day=day)
        with connection.cursor() as cursor:  # a real failure of the database, on one day only
            cursor.execute(
                f"""
                CREATE FUNCTION pg_temp.refuse_day() RETURNS trigger AS $$
                BEGIN
                  IF NEW.day = DATE '{yesterday.isoformat()}' THEN
                    RAISE EXCEPTION 'this day is broken';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql;
                CREATE TRIGGER refuse_day BEFORE INSERT ON disputes_casedayfigure
                  FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_day();
                """
            )
        with caplog.at_level(logging.ERROR, logger="disputes.reporting.services.figures"):
            rebuilt = figures_refresh()

        assert rebuilt == 1
        assert list(CaseDayFigure.objects.values_list("day", flat=True)) == [today]
        assert list(FigureDirtyDay.objects.values_list("day", flat=True)) == [yesterday]
        assert f"day {yesterday}" in caplog.text and "skipped" in caplog.text
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_day ON disputes_casedayfigure")
        assert figures_refresh() == 1  # repaired, it is rebuilt on the next run
        assert not FigureDirtyDay.objects.exists()
