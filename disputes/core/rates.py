"""A rate of two counts, as every figure of the reports writes it."""


def ratio(part, whole) -> float | None:
    """`part / whole`, unrounded (the formatting rounds); None when `whole` is 0 or None:
    nothing below the line is no rate at all, not a rate of zero."""
    return None if not whole else part / whole
