"""The test behind an alert: how unlikely this week's count is, given the weeks before.

A village's weekly counts of one category are taken as Poisson with the
baseline's mean; when the baseline weeks vary more than a Poisson count would
(variance above the mean), as negative binomial with the baseline's mean and
variance (the usual remedy for overdispersed counts). The p-value is the upper
tail P(X >= observed). Written out here (a few lines of log-gamma) rather than
pulling SciPy in for two distributions.
"""

import math
from dataclasses import dataclass
from statistics import fmean, variance


@dataclass(frozen=True)
class Rise:
    observed: int
    expected: float
    method: str  # "poisson" or "negbin"
    size: float | None  # the negative binomial's size (r); None for Poisson
    p_value: float


def rise_test(observed: int, baseline: list[int]) -> Rise:
    """The test of `observed` cases in a window against the counts of earlier windows of its length.

    An empty baseline (no case at all) is given half a case over its weeks, so
    that a first cluster somewhere quiet is judged against a small, non-zero rate.
    """
    weeks = len(baseline)
    mean = fmean(baseline) if weeks else 0.0
    expected = max(mean, 0.5 / max(weeks, 1))
    spread = variance(baseline) if weeks >= 2 else 0.0
    if mean > 0 and spread > mean:
        size = mean * mean / (spread - mean)
        return Rise(observed, expected, "negbin", size, negbin_upper_tail(observed, expected, size))
    return Rise(observed, expected, "poisson", None, poisson_upper_tail(observed, expected))


def poisson_upper_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean)."""

    def log_pmf(i):
        return -mean + i * math.log(mean) - math.lgamma(i + 1)

    return _upper_tail(k, mean, log_pmf)


def negbin_upper_tail(k: int, mean: float, size: float) -> float:
    """P(X >= k) for X negative binomial with that mean and size r (variance mean + mean²/r)."""
    p = size / (size + mean)

    def log_pmf(i):
        return (
            math.lgamma(i + size)
            - math.lgamma(size)
            - math.lgamma(i + 1)
            + size * math.log(p)
            + i * math.log1p(-p)
        )

    return _upper_tail(k, mean, log_pmf)


def _upper_tail(k: int, mean: float, log_pmf) -> float:
    if k <= 0:
        return 1.0
    if k <= mean:  # the lower side is the short sum
        return max(0.0, 1.0 - sum(math.exp(log_pmf(i)) for i in range(k)))
    total, i = 0.0, k
    while i < k + 100_000:  # past the mode the terms fall; stop when they no longer count
        term = math.exp(log_pmf(i))
        total += term
        if term < total * 1e-15:
            break
        i += 1
    return min(total, 1.0)
