"""The small territory of tests/disputes, for the tests that read the busy paths."""

from tests.disputes.conftest import report, territory  # noqa: F401
