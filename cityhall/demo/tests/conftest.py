"""The demo city writes files (the demo citizen's export): tests keep them in a temporary
media folder, never in the developer's."""

import pytest


@pytest.fixture(autouse=True)
def _temporary_media(settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
