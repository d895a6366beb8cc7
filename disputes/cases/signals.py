"""What a case's changes announce to the capabilities built on cases, which cases never import.

case_resolved: sent inside the transaction that resolves a case, holding its row
    lock, with `case`; disputes.teams ends the case's assignment there.
case_reported: sent inside the transaction that creates a case, with `case`;
    disputes.risks links it to the registered projects whose area holds it.
case_changed: sent once a change of a case is committed, with its point `lon`,
    `lat` (WGS-84); maps forgets the tiles around it.
"""

from django.dispatch import Signal

case_resolved = Signal()
case_reported = Signal()
case_changed = Signal()
