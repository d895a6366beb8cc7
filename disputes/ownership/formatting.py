"""The backlog's weekly bars as SVG geometry, computed here so the page needs no script."""

CHART_WIDTH = 720
CHART_HEIGHT = 180
LABEL_HEIGHT = 20
SERIES = ("opened", "cleared", "end")


def backlog_chart(weeks: list[dict]) -> dict:
    """{"width", "height", "baseline", "groups": [{"label", "x", "bars": [{series, x, y, width,
    height, value}]}]} for backlog_over_time's rows: per week, three bars side by side
    (entered the backlog, cleared, backlog at the week's end), scaled to the largest value.
    """
    top = max([1, *(week[series] for week in weeks for series in SERIES)])
    group = CHART_WIDTH / max(len(weeks), 1)
    bar = group / (len(SERIES) + 1)
    groups = []
    for index, week in enumerate(weeks):
        x = index * group + bar / 2
        bars = []
        for offset, series in enumerate(SERIES):
            height = round(week[series] / top * (CHART_HEIGHT - 10), 1)
            bars.append(
                {
                    "series": series,
                    "value": week[series],
                    "x": round(x + offset * bar, 1),
                    "y": round(CHART_HEIGHT - height, 1),
                    "width": round(bar - 1, 1),
                    "height": height,
                }
            )
        groups.append(
            {
                "label": week["monday"].strftime("%m-%d"),
                "x": round(index * group + group / 2, 1),
                "bars": bars,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT + LABEL_HEIGHT,
        "baseline": CHART_HEIGHT,
        "label_y": CHART_HEIGHT + LABEL_HEIGHT - 5,
        "top": top,
        "groups": groups,
    }
