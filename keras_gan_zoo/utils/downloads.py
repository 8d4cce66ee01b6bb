"""The one download-and-cache mechanism of the package (presets, metric weights).

Every file is checked against a sha256 when it is downloaded and again every
time it is taken from the cache, so a truncated, corrupted or tampered file
never reaches a model. Downloads are streamed into a temporary `.part` file
next to their destination and renamed into place only once the hash checks
out: a download that is cut off or killed leaves nothing that could later
pass as good. A complete cache works offline; the network is touched only
for files the cache lacks.

The cache lives in `$KERAS_GAN_ZOO_CACHE`, or else in `keras_gan_zoo/` under
the Keras home (`$KERAS_HOME`, default `~/.keras`).

Why not `keras.utils.get_file`: it silently falls back to a temporary folder
when the cache folder is missing or not writable, and it leaves a file that
fails its hash check in the cache.
"""

import contextlib
import hashlib
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from keras_gan_zoo.utils.files import atomic_write

_CHUNK_BYTES = 1 << 16
_PROGRESS_MIN_BYTES = 1 << 20  # a progress bar only for files of 1 MiB or more


class DownloadError(OSError):
    """A file could not be downloaded (no network, HTTP error, cut-off transfer)."""


class IntegrityError(ValueError):
    """A file's sha256 is not the expected one: corrupt, truncated or tampered."""


def cache_dir(subdir=None):
    """The cache folder (created if missing), or its `subdir`."""
    root = os.environ.get("KERAS_GAN_ZOO_CACHE")
    if not root:
        keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
        root = os.path.join(keras_home, "keras_gan_zoo")
    path = os.path.join(root, subdir) if subdir else root
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        raise OSError(
            f"Cannot create the keras_gan_zoo cache folder {path} ({error}). Point the "
            "KERAS_GAN_ZOO_CACHE environment variable at a writable folder."
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
            os.remove(path)
        raise IntegrityError(
            f"{path} is corrupt or has been tampered with: its sha256 is {actual}, "
            f"expected {sha256}."
            + (" It has been deleted; the next call downloads it again." if delete else "")
        )
    return path


def fetch(url, sha256=None, cache_subdir="downloads", filename=None, progress="auto", timeout=60):
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
        timeout: seconds to wait on the network before giving up.

    Returns:
        The cached file's path.

    Raises:
        DownloadError: the file is not cached and cannot be downloaded.
        IntegrityError: the cached or downloaded file fails its hash check;
            it is deleted.
    """
    filename = filename or os.path.basename(urllib.parse.urlparse(url).path)
    if not filename or filename in (".", ".."):
        raise ValueError(f"Cannot name the cached file for {url!r}; pass filename=...")
    folder = cache_dir(cache_subdir)
    path = os.path.join(folder, filename)
    recorded_hash = path + ".sha256"
    _remove_abandoned_parts(folder, filename)

    if os.path.exists(path):
        expected = sha256 or _read_text(recorded_hash)
        if expected:
            return verify_file(path, expected, delete=True)
        os.remove(path)  # no hash to check it against: treat as never finished

    partial = os.path.join(folder, f".{filename}.{os.getpid()}.part")
    try:
        actual = _download(url, partial, progress, timeout)
        if sha256 and actual != sha256:
            raise IntegrityError(
                f"The file downloaded from {url} for {path} has sha256 {actual}, expected "
                f"{sha256}. Nothing was saved."
            )
        if not sha256:
            _write_atomically(recorded_hash, actual)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return path


def _download(url, partial, progress, timeout):
    """Streams `url` into `partial`, returns the sha256 of what arrived."""
    digest = hashlib.sha256()
    try:
        response = urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise DownloadError(
            f"Downloading {url} failed: HTTP {error.code} {error.reason}."
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DownloadError(
            f"Cannot download {url} ({reason}). If you are offline, the file must already be "
            f"in the cache ({cache_dir()})."
        ) from error
    with response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        bar = _progress_bar(total, progress)
        received = 0
        try:
            with open(partial, "wb") as file:
                for chunk in iter(lambda: response.read(_CHUNK_BYTES), b""):
                    file.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    if bar is not None:
                        bar.update(received)
                file.flush()
                os.fsync(file.fileno())
        except (OSError, ValueError) as error:  # http.client.IncompleteRead is a ValueError
            raise DownloadError(
                f"Downloading {url} was cut off after {received} bytes ({error}). "
                "Nothing was saved."
            ) from error
    if total is not None and received != total:
        raise DownloadError(
            f"Downloading {url} was cut off: {received} of {total} bytes arrived. "
            "Nothing was saved."
        )
    return digest.hexdigest()


def _progress_bar(total, progress):
    if progress == "auto":
        progress = sys.stdout.isatty() and (total is None or total >= _PROGRESS_MIN_BYTES)
    if not progress:
        return None
    import keras

    return keras.utils.Progbar(total, unit_name="byte")


def _remove_abandoned_parts(folder, filename):
    """Deletes `.part` files of `filename` left by processes that no longer run."""
    pattern = re.compile(rf"^\.{re.escape(filename)}\.(\d+)\.part$")
    for name in os.listdir(folder):
        match = pattern.match(name)
        if match and not _process_is_alive(int(match.group(1))):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(folder, name))


def _process_is_alive(pid):
    if pid == os.getpid():
        return False  # ours, from an attempt that has ended
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_text(path):
    try:
        with open(path) as file:
            return file.read().strip()
    except FileNotFoundError:
        return None


def _write_atomically(path, text):
    with atomic_write(path) as temporary, open(temporary, "w") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
