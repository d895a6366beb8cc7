"""Notifications: the in-app list of each user, and its copy by email where email is set up.

Email is on when settings.NOTIFY_BY_EMAIL is (EMAIL_URL is set). Each
notification for a user with an address is mailed once its transaction has
committed, by the Celery task disputes.tasks.notification_email, so that a
mail server that fails never undoes or stops what created the notification.
The task may run twice for one notification (a worker dying after sending,
before acknowledging): a rare second copy of a mail is accepted rather than
a column recording what was mailed.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.core.outbox import task_after_commit
from disputes.oversight.models import Notification, SupervisionNotice


def notifications_create(*, users, notice=None, message: str = "", link: str = ""):
    """Put one notification in each user's list, for a supervision notice or with a message.

    `link` is a path on this site (e.g. "/maps/territory/"). With email on,
    each user who has an address is mailed after the transaction commits.
    """
    created = Notification.objects.bulk_create(
        Notification(user=user, notice=notice, message=message, link=link) for user in users
    )
    if settings.NOTIFY_BY_EMAIL:
        for notification in created:
            if notification.user.email and notification.user.is_active:
                task_after_commit("disputes.tasks.notification_email", notification.pk)
    return created


def notifications_read(*, user, ids=None) -> int:
    """Mark the user's notifications (all, or those of `ids`) read; how many were unread."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notification_email_send(*, notification_id: int) -> bool:
    """Mail one notification to its user; whether a mail went out.

    Nothing is sent when email is off, the notification is gone or already
    read, or the user has no address. Mail server errors are raised, for the
    task to retry. The mail speaks the site's language (settings.LANGUAGE_CODE).
    """
    if not settings.NOTIFY_BY_EMAIL:
        return False
    notification = (
        Notification.objects.select_related(
            "user",
            "notice__case__category",
            "notice__issued_by",
        )
        .filter(pk=notification_id, read_at=None)
        .first()
    )
    if notification is None or not notification.user.email or not notification.user.is_active:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _mail_text(notification)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    return True


def notice_path(notice: SupervisionNotice) -> str:
    """Where a notice leads: the supervision list, showing its case."""
    return f"{reverse('supervision')}?case={notice.case_id}"


def _absolute(path: str) -> str:
    # SITE_URL ("https://grid.example.gov.cn") makes links clickable in a mail client.
    if path.startswith("/"):
        return getattr(settings, "SITE_URL", "").rstrip("/") + path
    return path


def notice_values(notice: SupervisionNotice) -> dict:
    """What the texts about a notice say: case, stage, due date, days overdue, unit."""
    return {
        "case": notice.case_id,
        "stage": notice.get_stage_display(),
        "due": notice.due_date.isoformat(),
        "days": notice.days_overdue,
        "unit": notice.unit_name,
    }


def _mail_text(notification: Notification) -> tuple[str, str]:
    notice = notification.notice
    if notice is None:
        lines = [notification.message]
        if notification.link:
            lines.append(_("Open: %(link)s") % {"link": _absolute(notification.link)})
        return notification.message[:150], "\n".join(lines)
    values = {**notice_values(notice), "category": notice.case.category.name}
    subject = {
        SupervisionNotice.Kind.DUE_SOON: _(
            "Supervision (督办): case #%(case)d is due soon: %(stage)s by %(due)s"
        ),
        SupervisionNotice.Kind.OVERDUE: _(
            "Supervision (督办): case #%(case)d is overdue by %(days)d days: %(stage)s"
        ),
        SupervisionNotice.Kind.MANUAL: _(
            "Supervision (督办): a leader supervises case #%(case)d: %(stage)s"
        ),
    }[notice.kind] % values
    lines = [
        _("Case #%(case)d (%(category)s), held by %(unit)s.") % values,
        _("Stage: %(stage)s") % values,
        _("Due: %(due)s") % values,
        _("Days overdue: %(days)d") % values,
    ]
    if notice.issued_by is not None:
        lines.append(_("Issued by: %(user)s") % {"user": _person(notice.issued_by)})
    if notice.note:
        lines.append(_("Note: %(note)s") % {"note": notice.note})
    lines.append(_("Open: %(link)s") % {"link": _absolute(notice_path(notice))})
    return subject, "\n".join(lines)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()
