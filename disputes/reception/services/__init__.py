"""Writes of reception days: schedules, changes to a day, bookings (约访), the ledger.

Every write checks the actor's unit (policies) and locks the rows it counts on
(locks): the session for its free slots, the case for its timeline.
"""
