"""Notifications by email when it is configured: after commit, through a Celery task."""

from datetime import date
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from disputes.models import Notification, SupervisionNotice
from disputes.oversight.services import notifications
from disputes.oversight.services.supervision import notice_issue_by_hand, supervision_run
from tests.disputes.oversight.test_supervision import at

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("421 Service not available")


@pytest.fixture
def email_on(settings, eager):
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "grid@yongxiu.example"
    settings.SITE_URL = "https://grid.yongxiu.example"
    settings.LANGUAGE_CODE = "en"  # the mail speaks the site's language
    settings.SUPERVISION_ESCALATE_AFTER_DAYS = 7


@pytest.fixture
def case(report, territory):
    with at(date(2026, 3, 2)):
        return report().data["id"]  # acceptance due 2026-03-17


def with_address(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_a_due_soon_notice_is_mailed_to_the_holder_after_commit(
    email_on, case, territory, django_capture_on_commit_callbacks
):
    worker = with_address(territory.users["grid_worker"], "gw01@xingyang.example")
    with at(date(2026, 3, 15)), django_capture_on_commit_callbacks(execute=True) as callbacks:
        supervision_run()
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) >= 1
    [message] = mail.outbox
    assert message.to == [worker.email]
    assert message.from_email == "grid@yongxiu.example"
    assert f"#{case}" in message.subject and "due soon" in message.subject
    body = message.body
    assert "Stage: decide on acceptance" in body
    assert "Due: 2026-03-17" in body
    assert "Days overdue: 0" in body
    assert territory.grids["xingyang-01"].name in body
    assert f"https://grid.yongxiu.example/supervision/?case={case}" in body


def test_an_overdue_notice_says_by_how_many_days_and_runs_twice_without_a_second_mail(
    email_on, case, territory, django_capture_on_commit_callbacks
):
    with_address(territory.users["grid_worker"], "gw01@xingyang.example")
    with at(date(2026, 3, 20)), django_capture_on_commit_callbacks(execute=True):
        supervision_run()
        supervision_run()
    [message] = mail.outbox
    assert "overdue by 3 days" in message.subject
    assert "Days overdue: 3" in message.body


def test_a_notice_by_hand_is_mailed_with_its_note_and_who_issued_it(
    email_on, case, territory, django_capture_on_commit_callbacks
):
    worker = with_address(territory.users["grid_worker"], "gw01@xingyang.example")
    leader = territory.users["township_leader"]
    with at(date(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        notice_issue_by_hand(case_id=case, actor=leader, note="请三日内反馈")
    [message] = mail.outbox
    assert message.to == [worker.email]
    assert "Note: 请三日内反馈" in message.body
    assert f"Issued by: {leader.username}" in message.body


def test_users_without_an_address_get_no_mail_those_with_one_do(
    email_on, case, territory, django_capture_on_commit_callbacks
):
    # Past the allowance the case goes up to the village; its two cadres: one has an address.
    cadre = with_address(territory.users["village_cadre"], "cadre@xingyang.example")
    from tests.factories import UserFactory
    from villages.models import Staff

    silent = UserFactory(username="cadre_xingyang_2")
    Staff.objects.create(
        user=silent,
        role=Staff.Role.VILLAGE_CADRE,
        county=territory.county,
        township=territory.tubu,
        village=territory.xingyang,
    )
    with at(date(2026, 3, 25)), django_capture_on_commit_callbacks(execute=True):
        supervision_run()  # grid worker (no address) told; the case escalates to the village
    assert mail.outbox == []
    with at(date(2026, 3, 25)), django_capture_on_commit_callbacks(execute=True):
        supervision_run()  # the village's overdue notice
    assert Notification.objects.filter(user=silent, notice__level="village").count() == 1
    assert [m.to for m in mail.outbox] == [[cadre.email]]


def test_no_mail_when_email_is_not_configured(
    settings, eager, case, territory, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with_address(territory.users["grid_worker"], "gw01@xingyang.example")
    with at(date(2026, 3, 20)), django_capture_on_commit_callbacks(execute=True):
        supervision_run()
    assert SupervisionNotice.objects.filter(kind="overdue").exists()
    assert mail.outbox == []
    notification = Notification.objects.get()
    assert notifications.notification_email_send(notification_id=notification.pk) is False


def test_a_mail_server_that_is_down_does_not_stop_the_hourly_job(
    email_on, settings, case, report, territory, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with_address(territory.users["grid_worker"], "gw01@xingyang.example")
    with at(date(2026, 3, 3)):
        second = report().data["id"]
    with at(date(2026, 3, 20)), django_capture_on_commit_callbacks(execute=True):
        assert supervision_run() == 2
    assert set(SupervisionNotice.objects.values_list("case", "kind")) == {
        (case, "overdue"),
        (second, "overdue"),
    }
    assert Notification.objects.count() == 2


def test_a_notification_read_before_its_mail_leaves_is_not_mailed(email_on, case, territory):
    worker = with_address(territory.users["grid_worker"], "gw01@xingyang.example")
    with at(date(2026, 3, 20)):
        supervision_run()
    notification = Notification.objects.get(user=worker)
    notifications.notifications_read(user=worker)
    assert notifications.notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_a_plain_message_is_mailed_with_its_link(
    email_on, territory, django_capture_on_commit_callbacks
):
    cadre = with_address(territory.users["village_cadre"], "cadre@xingyang.example")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notifications_create(
            users=[cadre, territory.users["grid_worker"]],
            message="今日零报告未提交",
            link="/maps/territory/",
        )
    [message] = mail.outbox
    assert message.to == [cadre.email]
    assert message.subject == "今日零报告未提交"
    assert "https://grid.yongxiu.example/maps/territory/" in message.body
