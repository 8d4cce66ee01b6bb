"""The download-and-cache mechanism, against a real HTTP server on 127.0.0.1.

Plain Python files and sockets, nothing of the backend: the whole module is
`neutral` (runs once per suite).
"""

import concurrent.futures
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from keras_gan_zoo.utils import downloads

pytestmark = pytest.mark.neutral

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


# === Limits: an overall deadline and a size cap (issue 16, item 4) ===


def _files_in(cache):
    return sorted(p.name for p in cache.rglob("*") if p.is_file()) if cache.exists() else []


def test_a_dripping_server_is_cut_off_at_the_deadline(cache, served, monkeypatch):
    (Path(served.root) / "slow.bin").write_bytes(PAYLOAD[:200])
    served.mode = "drip"  # one byte every 50 ms: 10 s for the file, each read well within timeout
    monkeypatch.setenv("KERAS_GAN_ZOO_DOWNLOAD_DEADLINE", "0.5")
    started = time.monotonic()
    with pytest.raises(downloads.DownloadError, match=r"deadline of 0\.5 s") as error:
        downloads.fetch(f"{served.url}/slow.bin")
    assert time.monotonic() - started < 5
    assert "KERAS_GAN_ZOO_DOWNLOAD_DEADLINE" in str(error.value)
    assert _files_in(cache) == []
    # The argument overrides the variable.
    with pytest.raises(downloads.DownloadError, match=r"deadline of 0\.3 s"):
        downloads.fetch(f"{served.url}/slow.bin", deadline=0.3)
    assert _files_in(cache) == []


def test_a_stream_without_length_is_cut_off_at_the_size_cap(cache, served, monkeypatch):
    (Path(served.root) / "endless.bin").write_bytes(PAYLOAD[:65536])
    served.mode = "no_length"
    served.stream_bytes = 8 << 20
    monkeypatch.setenv("KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES", "100000")
    with pytest.raises(
        downloads.DownloadError, match=r"more than the 97\.7 KiB \(100000 bytes\)"
    ) as error:
        downloads.fetch(f"{served.url}/endless.bin")
    assert "cut off" in str(error.value) and "KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES" in str(error.value)
    assert _files_in(cache) == []
    # The argument overrides the variable (and the message no longer points at it).
    with pytest.raises(downloads.DownloadError, match="more than the 1 MiB") as error:
        downloads.fetch(f"{served.url}/endless.bin", max_bytes=1 << 20)
    assert "KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES" not in str(error.value)
    assert _files_in(cache) == []
    # Within the cap, a stream without a length is fine.
    monkeypatch.delenv("KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES")
    served.stream_bytes = 4 * 65536
    assert os.path.getsize(downloads.fetch(f"{served.url}/endless.bin")) == 4 * 65536


def test_a_stalled_server_is_cut_off_at_the_deadline_not_the_read_timeout(cache, served):
    (Path(served.root) / "stalled.bin").write_bytes(PAYLOAD)
    served.mode = "stall"  # half the file, then nothing: one read waits for the timeout
    started = time.monotonic()
    with pytest.raises(downloads.DownloadError, match=r"deadline of 0\.5 s"):
        downloads.fetch(f"{served.url}/stalled.bin", deadline=0.5, timeout=30)
    assert time.monotonic() - started < 5
    assert _files_in(cache) == []


def test_a_file_announced_larger_than_its_cap_is_refused_before_download(cache, weights_url):
    with pytest.raises(downloads.DownloadError, match="more than the 1000 bytes allowed"):
        downloads.fetch(weights_url, sha256=PAYLOAD_SHA256, max_bytes=1000)
    assert _files_in(cache) == []


def test_limits_must_be_positive_numbers(cache, weights_url, monkeypatch):
    with pytest.raises(ValueError, match="max_bytes must be a positive number, got 0"):
        downloads.fetch(weights_url, max_bytes=0)
    with pytest.raises(ValueError, match="deadline must be a positive number"):
        downloads.fetch(weights_url, deadline="10")
    monkeypatch.setenv(downloads.DEADLINE_VARIABLE, "ten minutes")
    with pytest.raises(ValueError, match=f"{downloads.DEADLINE_VARIABLE} must be a positive"):
        downloads.fetch(weights_url)
    monkeypatch.setenv(downloads.DEADLINE_VARIABLE, "60")
    monkeypatch.setenv(downloads.MAX_BYTES_VARIABLE, "2G")
    with pytest.raises(ValueError, match=f"{downloads.MAX_BYTES_VARIABLE} must be a positive"):
        downloads.fetch(weights_url)


def test_defaults_are_ten_minutes_and_two_gib(monkeypatch):
    monkeypatch.delenv(downloads.DEADLINE_VARIABLE, raising=False)
    monkeypatch.delenv(downloads.MAX_BYTES_VARIABLE, raising=False)
    assert downloads.default_deadline() == 600
    assert downloads.default_max_bytes() == 2 << 30


# === Refresh, and checks before a file enters the cache (item 3) ===


def test_refresh_replaces_the_cached_copy_only_with_a_complete_download(cache, served):
    source = Path(served.root) / "notes.txt"
    source.write_bytes(b"version 1")
    url = f"{served.url}/notes.txt"
    path = downloads.fetch(url)
    source.write_bytes(b"version 2")
    assert Path(downloads.fetch(url)).read_bytes() == b"version 1"  # cached
    assert Path(downloads.fetch(url, refresh=True)).read_bytes() == b"version 2"
    served.mode = "truncate"
    source.write_bytes(b"version 3, cut off on its way")
    with pytest.raises(downloads.DownloadError, match="cut off"):
        downloads.fetch(url, refresh=True)
    served.stop()
    assert Path(downloads.fetch(url)).read_bytes() == b"version 2"  # intact, and verified
    assert _files_in(cache) == ["notes.txt", "notes.txt.sha256"] and path.endswith("notes.txt")


def test_a_file_that_fails_validation_never_enters_the_cache(cache, served):
    source = Path(served.root) / "data.json"
    source.write_bytes(b"<html>503 Service Unavailable</html>")
    url = f"{served.url}/data.json"

    def must_be_json(path):
        if not Path(path).read_bytes().startswith(b"{"):
            raise ValueError("not JSON")

    with pytest.raises(ValueError, match="not JSON"):
        downloads.fetch(url, validate=must_be_json)
    assert _files_in(cache) == []
    source.write_bytes(b"{}")
    assert Path(downloads.fetch(url, validate=must_be_json)).read_bytes() == b"{}"


# === Unwritable cache (item 4's user mistakes) ===


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can write into (root included, via chattr +i), or a skip."""
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if os.access(folder, os.W_OK):  # root ignores permissions
        immutable = (
            subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        )
    try:
        (folder / "probe").touch()
    except OSError:
        yield folder
    else:
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_an_unwritable_cache_is_named_as_such(served, weights_url, read_only_folder, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_ZOO_CACHE", str(read_only_folder))
    with pytest.raises(downloads.DownloadError) as error:
        downloads.fetch(weights_url, sha256=PAYLOAD_SHA256, cache_subdir="")
    message = str(error.value)
    assert "Cannot write into the keras_gan_zoo cache folder" in message
    assert str(read_only_folder) in message and "KERAS_GAN_ZOO_CACHE" in message
    assert "cut off" not in message
    assert served.requests == []  # refused before touching the network


# === Threads (item 6) ===


def test_eight_threads_fetching_one_file_all_get_it_whole(cache, served, weights_url):
    served.chunk_delay = 0.01  # so that the downloads overlap
    barrier = threading.Barrier(8)

    def fetch(pinned):
        barrier.wait()
        path = downloads.fetch(weights_url, sha256=PAYLOAD_SHA256 if pinned else None)
        return Path(path).read_bytes() == PAYLOAD

    for pinned in (True, False):
        shutil.rmtree(cache, ignore_errors=True)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(fetch, [pinned] * 8))
        assert results == [True] * 8
        expected = ["weights.bin"] if pinned else ["weights.bin", "weights.bin.sha256"]
        assert _files_in(cache) == expected  # and no .part left behind
    assert len(served.requests) >= 9  # the threads did download side by side


def test_only_parts_whose_writer_has_ended_are_removed(cache):
    folder = downloads.cache_dir("downloads")
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(ended.stdout)
    ours_now = downloads._new_part(folder, "weights.bin")  # another thread's download
    names = {
        "dead": f".weights.bin.{dead_pid}.0.part",
        "dead_unnumbered": f".weights.bin.{dead_pid}.part",
        "dead_hash_record": f".weights.bin.sha256.{dead_pid}.3.part",
        "alive": f".weights.bin.{os.getppid()}.0.part",
        "ours_ended": f".weights.bin.{os.getpid()}.999999.part",
        "ours_now": os.path.basename(ours_now),
        "other_file": f".other.bin.{dead_pid}.0.part",
    }
    for name in names.values():
        Path(folder, name).write_bytes(b"partial")
    try:
        downloads._remove_abandoned_parts(folder, "weights.bin")
        left = set(os.listdir(folder))
        assert left == {names["alive"], names["ours_now"], names["other_file"]}
    finally:
        downloads._release_part(ours_now)
