"""How loaded each department is: its open routing slips, and how many are past their date."""

from django.db.models import Count, Q
from django.utils import timezone

from disputes.departments.models import Routing


def department_loads(department_ids) -> dict[int, dict]:
    """{department id: {"open": slips pending or accepted, "overdue": those past reply-by}}.

    Departments without open slips are given zeros.
    """
    today = timezone.localdate()
    rows = (
        Routing.objects.filter(department_id__in=department_ids, status__in=Routing.OPEN_STATUSES)
        .values("department_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(reply_by__lt=today)))
    )
    loads = {pk: {"open": 0, "overdue": 0} for pk in department_ids}
    for row in rows:
        loads[row["department_id"]] = {"open": row["open"], "overdue": row["overdue"]}
    return loads
