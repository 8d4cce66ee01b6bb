"""The download-and-cache mechanism, against a real HTTP server on 127.0.0.1."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keras_gan_zoo.utils import downloads

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB: large enough for a progress bar
PAYLOAD_SHA256 = hashlib.sha256(PAYLOAD).hexdigest()


@pytest.fixture
def weights_url(served):
    with open(os.path.join(served.root, "weights.bin"), "wb") as file:
        file.write(PAYLOAD)
    return f"{served.url}/weights.bin"


def _cache_contents(cache):
    return sorted(p.name for p in cache.rglob("*") if p.is_file())


def test_download_is_verified_cached_and_reused_offline(cache, served, weights_url):
    path = downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)
    assert path.startswith(str(cache)) and Path(path).read_bytes() == PAYLOAD
    served.stop()  # from now on the network is gone
    assert downloads.fetch(weights_url, sha256=PAYLOAD_SHA256) == path
    assert len(served.requests) == 1


def test_wrong_hash_on_download_names_both_hashes_and_saves_nothing(cache, weights_url):
    wrong = "0" * 64
    with pytest.raises(downloads.IntegrityError) as error:
        downloads.fetch(weights_url, sha256=wrong)
    assert PAYLOAD_SHA256 in str(error.value) and wrong in str(error.value)
    assert "weights.bin" in str(error.value)
    assert _cache_contents(cache) == []


def test_tampered_cache_file_is_rejected_and_removed(cache, served, weights_url):
    path = downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)
    with open(path, "r+b") as file:
        file.seek(1000)
        file.write(b"\x00evil")
    tampered_hash = downloads.sha256_of(path)
    with pytest.raises(downloads.IntegrityError) as error:
        downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)
    message = str(error.value)
    assert path in message and tampered_hash in message and PAYLOAD_SHA256 in message
    assert not os.path.exists(path)
    # The next call downloads a good copy again.
    assert Path(downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)).read_bytes() == PAYLOAD
    assert len(served.requests) == 2


def test_truncated_cache_file_is_rejected_even_without_a_pinned_hash(cache, weights_url):
    path = downloads.fetch(weights_url)  # hash recorded at download time
    with open(path, "r+b") as file:
        file.truncate(1000)
    with pytest.raises(downloads.IntegrityError, match="corrupt or has been tampered"):
        downloads.fetch(weights_url)
    assert not os.path.exists(path)


def test_server_dropping_mid_file_leaves_nothing(cache, served, weights_url):
    served.mode = "truncate"
    with pytest.raises(downloads.DownloadError, match="cut off"):
        downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)
    assert _cache_contents(cache) == []
    # Without a pinned hash the length check alone catches it.
    with pytest.raises(downloads.DownloadError, match="cut off"):
        downloads.fetch(weights_url)
    assert _cache_contents(cache) == []


def test_killed_download_leaves_no_file_that_passes_as_good(cache, served, weights_url):
    served.mode = "stall"
    script = (
        "from keras_gan_zoo.utils import downloads; "
        f"downloads.fetch({weights_url!r}, sha256={PAYLOAD_SHA256!r})"
    )
    process = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ))
    try:
        assert served.half_sent.wait(timeout=120), "the download never started"
        time.sleep(0.5)  # let the client write what it received
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    leftovers = _cache_contents(cache)
    assert "weights.bin" not in leftovers
    assert all(name.endswith(".part") for name in leftovers), leftovers

    served.mode = "normal"
    path = downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)
    assert Path(path).read_bytes() == PAYLOAD
    assert _cache_contents(cache) == ["weights.bin"]  # the dead process's .part is gone


def test_http_errors_and_no_network_are_named(cache, served, weights_url):
    with pytest.raises(downloads.DownloadError, match="HTTP 404"):
        downloads.fetch(f"{served.url}/missing.bin", sha256=PAYLOAD_SHA256)
    served.stop()
    with pytest.raises(downloads.DownloadError, match="offline"):
        downloads.fetch(weights_url, sha256=PAYLOAD_SHA256)
    assert _cache_contents(cache) == []


def test_file_urls_work(cache, tmp_path):
    source = tmp_path / "local.bin"
    source.write_bytes(PAYLOAD)
    path = downloads.fetch(source.as_uri(), sha256=PAYLOAD_SHA256)
    assert Path(path).read_bytes() == PAYLOAD


def test_progress_bar_for_large_files(cache, weights_url, capsys):
    downloads.fetch(weights_url, sha256=PAYLOAD_SHA256, progress=True)
    assert str(len(PAYLOAD)) in capsys.readouterr().out


def test_cache_location(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_GAN_ZOO_CACHE", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    assert downloads.cache_dir() == str(tmp_path / "keras_home" / "keras_gan_zoo")
    monkeypatch.setenv("KERAS_GAN_ZOO_CACHE", str(tmp_path / "mine"))
    assert downloads.cache_dir("presets") == str(tmp_path / "mine" / "presets")
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KERAS_GAN_ZOO_CACHE", str(blocker / "cache"))
    with pytest.raises(OSError, match="KERAS_GAN_ZOO_CACHE"):
        downloads.cache_dir()
