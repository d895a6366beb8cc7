import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """The private files of a test in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path
