import pytest
from file_server import FileServer


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty download cache of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KERAS_GAN_ZOO_CACHE", str(folder))
    return folder


@pytest.fixture
def served(tmp_path):
    """A FileServer over tmp_path/'www', stopped after the test."""
    root = tmp_path / "www"
    root.mkdir()
    server = FileServer(root)
    yield server
    server.stop()
