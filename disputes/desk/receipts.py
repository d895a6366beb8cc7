"""The receipt of registration (受理回执): an A5 page for the complainant, as HTML and PDF.

It says the case number, when it was registered, by when the desk will say
whether the case is accepted (信访工作条例: 15 days), and the complainant's query
code when the clerk has it (right after registering, or after issuing a new one).

The code is shown once: the view keeps it in the clerk's session for that case
only, for RECEIPT_CODE_MINUTES (time to print and reprint a jammed page), never
in the database. Later prints say it was given on the first receipt.
"""

import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from disputes.cases import identity
from disputes.cases.deadlines import ACCEPTANCE_DAYS, deadline_after
from disputes.cases.models import Party
from disputes.core.areas import user_units
from disputes.reporting.services.bulletin_files import CJK_FONTS, NoCJKFont

SESSION_KEY = "desk-receipt"
RECEIPT_CODE_MINUTES = 15


# --- the code, kept in the session for one receipt --------------------------------------


def receipt_code_keep(session, case_id: int, code: str) -> None:
    """Keep the code just given for the receipt of this case (and no other) for a while."""
    session[SESSION_KEY] = {
        "case": case_id,
        "code": code,
        "until": time.time() + RECEIPT_CODE_MINUTES * 60,
    }


def receipt_code(session, case_id: int) -> str:
    """The code for this case's receipt if it was given in the last minutes, else ""."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return ""
    if kept.get("until", 0) < time.time():
        session.pop(SESSION_KEY, None)
        return ""
    return kept.get("code", "") if kept.get("case") == case_id else ""


# --- what the receipt says ----------------------------------------------------------------


def receipt_context(*, user, case, code: str) -> dict:
    """The receipt's content; the complainants' names are masked (the page is handed out)."""
    registered = timezone.localtime(case.reported_at)
    deadline = deadline_after(registered.date(), ACCEPTANCE_DAYS)
    _level, unit = user_units(user)
    complainants = [
        identity.mask_name(party.name)
        for party in case.parties.all()
        if party.role == Party.Role.COMPLAINANT
    ]
    return {
        "case": case,
        "unit_name": unit.name if unit is not None else "",
        "registered": registered,
        "accept_by": deadline.due,
        "accept_days": ACCEPTANCE_DAYS,
        "working_days": settings.CASE_DEADLINE_DAYS == "working",
        "deadline_note": deadline.note,
        "complainants": complainants,
        "agent_name": identity.mask_name(case.agent_name),
        "code": code,
    }


def _stylesheet() -> str:
    path = finders.find("desk/receipt.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def receipt_pdf(context: dict) -> bytes:
    """The receipt as an A5 PDF (WeasyPrint), in a CJK font."""
    import weasyprint

    if not any(Path(path).exists() for path in CJK_FONTS):
        raise NoCJKFont(
            "No CJK font is installed for the receipt; install fonts-wqy-microhei "
            "(or fonts-noto-cjk)."
        )
    html = render_to_string("desk/receipt_pdf.html", {**context, "css": _stylesheet()})
    return weasyprint.HTML(string=html).write_pdf()
