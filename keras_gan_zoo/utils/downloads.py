"""The one download-and-cache mechanism of the package (presets, metric weights).

Every file is checked against a sha256 when it is downloaded and again every
time it is taken from the cache, so a truncated, corrupted or tampered file
never reaches a model. Downloads are streamed into a temporary `.part` file
next to their destination and renamed into place only once the hash (and,
where the caller gives one, a validity check) passes: a download that is cut
off, killed or answered with an error page leaves nothing that could later
pass as good. A complete cache works offline; the network is touched only
for files the cache lacks, or when the caller asks for a refresh.

Limits. No server can hold a call forever or fill the disk:
- each download has an overall deadline, 600 s (10 minutes) by default:
  `fetch(deadline=seconds)` or `$KERAS_GAN_ZOO_DOWNLOAD_DEADLINE` changes it.
  Separately, `timeout` (60 s) bounds each wait for the network.
- each file has a maximum size, 2 GiB by default: `fetch(max_bytes=...)` or
  `$KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES` changes it. Callers cap small files
  lower (a preset's `metadata.json` at 1 MiB, its `config.json` at 16 MiB).
A file whose Content-Length exceeds its cap is refused before a byte is
written; one streamed without Content-Length is cut off at its cap. Either way
`DownloadError` names the limit and nothing is cached.

Several threads or processes may fetch the same file at once: each writes its
own `.part` file (named after its process and numbered per call) and the last
complete one renamed into place wins. `.part` files of processes that no
longer run are deleted when the file is next fetched.

The cache lives in `$KERAS_GAN_ZOO_CACHE`, or else in `keras_gan_zoo/` under
the Keras home (`$KERAS_HOME`, default `~/.keras`).

Why not `keras.utils.get_file`: it silently falls back to a temporary folder
when the cache folder is missing or not writable, and it leaves a file that
fails its hash check in the cache.
"""

import contextlib
import hashlib
import http.client
import itertools
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from keras_gan_zoo.utils import files

_CHUNK_BYTES = 1 << 16
_PROGRESS_MIN_BYTES = 1 << 20  # a progress bar only for files of 1 MiB or more

DEFAULT_DEADLINE_SECONDS = 600.0
DEFAULT_MAX_BYTES = 2 << 30
DEADLINE_VARIABLE = "KERAS_GAN_ZOO_DOWNLOAD_DEADLINE"
MAX_BYTES_VARIABLE = "KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES"
CACHE_VARIABLE = "KERAS_GAN_ZOO_CACHE"

# `.part` files this process is writing now. `next` on a count is atomic, so
# no two calls (in any thread) share a name.
_part_numbers = itertools.count()
_active_parts = set()
_active_parts_lock = threading.Lock()


class DownloadError(OSError):
    """A file could not be downloaded (no network, HTTP error, cut-off or
    over-long transfer, a file over its size limit, an unwritable cache)."""


class IntegrityError(ValueError):
    """A file's sha256 is not the expected one: corrupt, truncated or tampered."""


def cache_dir(subdir=None):
    """The cache folder (created if missing), or its `subdir`."""
    root = os.environ.get(CACHE_VARIABLE)
    if not root:
        keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
        root = os.path.join(keras_home, "keras_gan_zoo")
    path = os.path.join(root, subdir) if subdir else root
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        raise OSError(
            f"Cannot create the keras_gan_zoo cache folder {path} ({error}). Point the "
            f"{CACHE_VARIABLE} environment variable at a writable folder."
        ) from error
    return path


def sha256_of(path):
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path, sha256, delete=False):
    """Raises `IntegrityError` (naming the file and both hashes) on a mismatch.

    With `delete=True` the bad file is removed first, so that it cannot be
    picked up again.
    """
    actual = sha256_of(path)
    if actual != sha256:
        if delete:
            _remove_quietly(path)
        raise IntegrityError(
            f"{path} is corrupt or has been tampered with: its sha256 is {actual}, "
            f"expected {sha256}."
            + (" It has been deleted; the next call downloads it again." if delete else "")
        )
    return path


def default_deadline():
    """Seconds a download may take in all: `$KERAS_GAN_ZOO_DOWNLOAD_DEADLINE`, else 600."""
    return _positive_from_environment(DEADLINE_VARIABLE, DEFAULT_DEADLINE_SECONDS, float)


def default_max_bytes():
    """The largest file a download may bring: `$KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES`, else 2 GiB."""
    return _positive_from_environment(MAX_BYTES_VARIABLE, DEFAULT_MAX_BYTES, int)


def fetch(
    url,
    sha256=None,
    cache_subdir="downloads",
    filename=None,
    progress="auto",
    timeout=60,
    *,
    max_bytes=None,
    deadline=None,
    validate=None,
    refresh=False,
):
    """The local path of `url`'s file, downloaded into the cache if needed.

    Args:
        url: `https://`, `http://` or `file://` address of the file.
        sha256: expected hex sha256. When None, the hash seen at download time
            is recorded beside the file and cache hits are checked against it
            (this catches corruption, not a server that served bad bytes).
        cache_subdir: folder inside the cache.
        filename: name in the cache; default the last part of the URL's path.
        progress: True, False, or "auto" (a progress bar on a terminal, for
            files of 1 MiB or more).
        timeout: seconds to wait on the network for any one answer or read.
        max_bytes: the largest file accepted; default `default_max_bytes()`.
        deadline: seconds the whole download may take; default
            `default_deadline()`.
        validate: optional function called with the path of the downloaded
            file before it enters the cache; whatever it raises propagates and
            nothing is cached. A cached copy that it rejects is discarded and
            downloaded again.
        refresh: download again even if the file is cached (a cached copy
            that matches a pinned `sha256` is kept: pinned bytes cannot be
            newer). The cached copy is replaced only by a complete, checked
            download; if the download fails, the cache is left as it was.

    Returns:
        The cached file's path.

    Raises:
        DownloadError: the file is not cached and cannot be downloaded, is
            larger than `max_bytes`, takes longer than `deadline`, or the
            cache folder is not writable.
        IntegrityError: the cached or downloaded file fails its hash check;
            it is deleted.
    """
    timeout = _checked_positive("timeout", timeout, (int, float))
    # What a user can change: a limit the caller chose is not theirs to raise.
    hints = {
        "max_bytes": f" If the file really is that large, set {MAX_BYTES_VARIABLE} (bytes)."
        if max_bytes is None
        else "",
        "deadline": f" To allow more time, set {DEADLINE_VARIABLE} (seconds)."
        if deadline is None
        else "",
    }
    max_bytes = (
        default_max_bytes() if max_bytes is None else _checked_positive("max_bytes", max_bytes, int)
    )
    deadline = (
        default_deadline()
        if deadline is None
        else _checked_positive("deadline", deadline, (int, float))
    )
    filename = filename or os.path.basename(urllib.parse.urlparse(url).path)
    if not filename or filename in (".", ".."):
        raise ValueError(f"Cannot name the cached file for {url!r}; pass filename=...")
    folder = cache_dir(cache_subdir)
    path = os.path.join(folder, filename)
    recorded_hash = path + ".sha256"
    _remove_abandoned_parts(folder, filename)

    cached = _cached_copy(path, sha256, recorded_hash, validate, refresh)
    if cached is not None:
        return cached

    partial = _new_part(folder, filename)
    try:
        actual = _download(url, partial, progress, timeout, max_bytes, deadline, hints)
        if sha256 and actual != sha256:
            raise IntegrityError(
                f"The file downloaded from {url} for {path} has sha256 {actual}, expected "
                f"{sha256}. Nothing was saved."
            )
        if validate is not None:
            validate(partial)
        if not sha256:
            # Before the file itself: a cached file always has its hash beside it.
            _write_atomically(recorded_hash, actual)
        try:
            os.replace(partial, path)
        except OSError as error:
            raise DownloadError(_not_writable(folder, error)) from error
    finally:
        _release_part(partial)
    return path


def _cached_copy(path, sha256, recorded_hash, validate, refresh):
    """`path` if the cache holds a good copy of the file, else None (download it).

    Raises `IntegrityError` (deleting the copy) when a copy fails its hash,
    except on a refresh, which downloads a new copy instead.
    """
    if refresh and not sha256:
        return None
    try:
        if not os.path.exists(path):
            return None
        if refresh:
            return path if sha256_of(path) == sha256 else None
        expected = sha256 or _read_text(recorded_hash)
        if not expected:
            _remove_quietly(path)  # no hash to check it against: treat as never finished
            return None
        verify_file(path, expected, delete=True)
    except FileNotFoundError:
        return None  # removed meanwhile by another thread or process
    if validate is not None:
        try:
            validate(path)
        except Exception:
            # Cached without this check (by an older keras_gan_zoo, which
            # cached error pages): it was never good, so fetch it again.
            _remove_quietly(path)
            _remove_quietly(recorded_hash)
            return None
    return path


def _download(url, partial, progress, timeout, max_bytes, deadline, hints):
    """Streams `url` into `partial`, returns the sha256 of what arrived.

    `hints` says how a user can raise each limit (see `fetch`).
    """
    ends = time.monotonic() + deadline
    folder = os.path.dirname(partial)
    try:
        # Opened before the network is touched, so an unwritable cache is named as such.
        file = open(partial, "wb")  # noqa: SIM115 (closed by the `with file` below)
    except OSError as error:
        raise DownloadError(_not_writable(folder, error)) from error
    with file:
        response = _open(url, min(timeout, deadline))
        with response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > max_bytes:
                raise DownloadError(
                    f"{url} is {_size(total)}, more than the {_size(max_bytes)} allowed for "
                    f"this file; nothing was downloaded.{hints['max_bytes']}"
                )
            bar = _progress_bar(total, progress)
            digest = hashlib.sha256()
            received = 0
            set_read_timeout = _read_timeout_setter(response)
            read = getattr(response, "read1", response.read)  # one read: no waiting for 64 KiB
            while True:
                remaining = ends - time.monotonic()
                if remaining <= 0:
                    raise DownloadError(_too_slow(url, deadline, received, hints))
                if set_read_timeout is not None:
                    set_read_timeout(min(timeout, remaining))
                try:
                    chunk = read(_CHUNK_BYTES)
                except TimeoutError as error:
                    if time.monotonic() >= ends:
                        raise DownloadError(_too_slow(url, deadline, received, hints)) from error
                    raise DownloadError(
                        f"Downloading {url} stalled: nothing arrived for {timeout:g} s after "
                        f"{received} bytes. Nothing was saved."
                    ) from error
                except (OSError, ValueError, http.client.HTTPException) as error:
                    raise DownloadError(
                        f"Downloading {url} was cut off after {received} bytes ({error}). "
                        "Nothing was saved."
                    ) from error
                if not chunk:
                    break
                received += len(chunk)
                if received > max_bytes:
                    raise DownloadError(
                        f"{url} sent more than the {_size(max_bytes)} allowed for this file "
                        f"(without announcing its length); it was cut off and nothing was "
                        f"saved.{hints['max_bytes']}"
                    )
                try:
                    file.write(chunk)
                except OSError as error:
                    raise DownloadError(_not_writable(folder, error)) from error
                digest.update(chunk)
                if bar is not None:
                    bar.update(received)
        try:
            file.flush()
            os.fsync(file.fileno())
        except OSError as error:
            raise DownloadError(_not_writable(folder, error)) from error
    if total is not None and received != total:
        raise DownloadError(
            f"Downloading {url} was cut off: {received} of {total} bytes arrived. "
            "Nothing was saved."
        )
    return digest.hexdigest()


def _open(url, timeout):
    try:
        return urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as error:
        with contextlib.suppress(OSError):
            error.close()
        raise DownloadError(
            f"Downloading {url} failed: HTTP {error.code} {error.reason}."
        ) from error
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        raise DownloadError(
            f"Cannot download {url} ({reason}). If you are offline, the file must already be "
            f"in the cache ({cache_dir()})."
        ) from error


def _read_timeout_setter(response):
    """A function that sets the socket timeout of an HTTP(S) response, or None.

    urllib offers no public handle on the socket; without one, the deadline
    is still checked after every read, each of which waits at most `timeout`.
    """
    raw = getattr(getattr(response, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    return getattr(sock, "settimeout", None)


def _too_slow(url, deadline, received, hints):
    return (
        f"Downloading {url} took longer than its deadline of {deadline:g} s ({received} bytes "
        f"arrived); nothing was saved.{hints['deadline']}"
    )


def _not_writable(folder, error):
    return (
        f"Cannot write into the keras_gan_zoo cache folder {folder} ({error}): it must be "
        f"writable, with room for the file. Point the {CACHE_VARIABLE} environment variable "
        "at a writable folder."
    )


def _size(n):
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit} ({n} bytes)"
    return f"{n} bytes"


def _progress_bar(total, progress):
    if progress == "auto":
        progress = sys.stdout.isatty() and (total is None or total >= _PROGRESS_MIN_BYTES)
    if not progress:
        return None
    import keras

    return keras.utils.Progbar(total, unit_name="byte")


def _new_part(folder, filename):
    """A `.part` path of its own for one download (or hash record) of `filename`."""
    partial = os.path.join(folder, f".{filename}.{os.getpid()}.{next(_part_numbers)}.part")
    with _active_parts_lock:
        _active_parts.add(partial)
    return partial


def _release_part(partial):
    _remove_quietly(partial)
    with _active_parts_lock:
        _active_parts.discard(partial)


def _remove_abandoned_parts(folder, filename):
    """Deletes `.part` files of `filename` (and of its hash record) whose writer has ended.

    A writer is a process, and within this process a call in some thread: a
    `.part` of a process that still runs is left alone, and so is one that
    another thread of this process is writing now.
    """
    # `.name.PID.N.part`; `.name.PID.part` from versions that did not number them.
    pattern = re.compile(rf"^\.{re.escape(filename)}(?:\.sha256)?\.(\d+)(?:\.\d+)?\.part$")
    for name in os.listdir(folder):
        match = pattern.match(name)
        if not match:
            continue
        path = os.path.join(folder, name)
        pid = int(match.group(1))
        if pid == os.getpid():
            with _active_parts_lock:
                if path not in _active_parts:
                    _remove_quietly(path)  # ours, from a call that has ended
        elif not files.process_is_running(pid):
            _remove_quietly(path)


def _remove_quietly(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _read_text(path):
    try:
        with open(path) as file:
            return file.read().strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _write_atomically(path, text):
    folder, filename = os.path.split(path)
    partial = _new_part(folder, filename)
    try:
        with open(partial, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except OSError as error:
        raise DownloadError(_not_writable(folder, error)) from error
    finally:
        _release_part(partial)


def _positive_from_environment(name, default, kind):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = kind(value)
    except ValueError:
        number = None
    if number is None or not number > 0 or number == float("inf"):
        unit = "seconds" if kind is float else "bytes, an integer"
        raise ValueError(f"{name} must be a positive number ({unit}), got {value!r}.")
    return number


def _checked_positive(name, value, kinds):
    if isinstance(value, bool) or not isinstance(value, kinds) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}.")
    return value
