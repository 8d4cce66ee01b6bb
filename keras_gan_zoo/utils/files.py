"""Writing files so that a reader sees either the whole new file or none of it."""

import contextlib
import os


@contextlib.contextmanager
def atomic_write(path, suffix=""):
    """Yields a temporary path beside `path`; renames it into place on success.

    Write the file to the yielded path. When the block ends without an
    exception, the file replaces `path` in one `os.replace`; otherwise it is
    deleted. A process killed mid-write leaves `path` as it was (and at worst
    a dot-file named after the process). `suffix` ends the temporary name, for
    writers that insist on an extension (`.keras`, `.weights.h5`, `.npz`).
    """
    path = os.fspath(path)
    folder, name = os.path.split(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp{suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
