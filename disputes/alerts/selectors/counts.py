"""The counts an alert is computed from: cases per village, category and day, in one query."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from disputes.cases.models import Case


def weekly_counts(*, county_id: int, end: date, days: int, weeks: int) -> dict:
    """{(village id, category id): [count of each window, oldest first, the last one ending on `end`]}.

    Windows are `days` long; there are `weeks` baseline windows before the last
    one. Only pairs with at least one case in the whole span are listed; cases
    without a village (none here: every case is placed in one) are left out.
    """
    first = end - timedelta(days=days * (weeks + 1) - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    stop = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        Case.objects.filter(
            county_id=county_id,
            reported_at__gte=start,
            reported_at__lt=stop,
            village_id__isnull=False,
        )
        .annotate(day=TruncDate("reported_at"))
        .values("village_id", "category_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(lambda: [0] * (weeks + 1))
    for row in rows:
        window = (row["day"] - first).days // days
        counts[(row["village_id"], row["category_id"])][window] += row["n"]
    return dict(counts)
