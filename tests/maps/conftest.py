from tests.disputes.conftest import territory  # noqa: F401  (the same small 永修县)
