"""Writing files so that a reader sees either the whole new file or none of it."""

import contextlib
import itertools
import os
import re

# Numbers the temporary files of this process; `next` on a count is atomic,
# so two threads (or two calls in one thread) never share a temporary name.
_temporary_numbers = itertools.count()


@contextlib.contextmanager
def atomic_write(path, suffix=""):
    """Yields a temporary path beside `path`; renames it into place on success.

    Write the file to the yielded path. When the block ends without an
    exception, the file replaces `path` in one `os.replace`; otherwise it is
    deleted. A process killed mid-write leaves `path` as it was, and at worst
    a dot-file `.<name>.<pid>.<n>.tmp<suffix>` that
    `remove_abandoned_temporaries` deletes once that process is gone. The
    temporary name is unique per process, thread and call, so concurrent
    writers of one path never write into each other's file (the last rename
    wins). `suffix` ends the temporary name, for writers that insist on an
    extension (`.keras`, `.weights.h5`, `.npz`).
    """
    path = os.fspath(path)
    folder, name = os.path.split(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(
        folder, f".{name}.{os.getpid()}.{next(_temporary_numbers)}.tmp{suffix}"
    )
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def temporary_name_pattern(name_pattern=r".+", suffix=""):
    """A regex matching `atomic_write`'s temporary names for targets matching `name_pattern`.

    The process id is its group `pid`. Names from before temporary names were
    numbered (`.<name>.<pid>.tmp<suffix>`) match too.
    """
    return re.compile(rf"^\.(?:{name_pattern})\.(?P<pid>\d+)(?:\.\d+)?\.tmp{re.escape(suffix)}$")


def remove_abandoned_temporaries(folder, name_pattern=r".+", suffix=""):
    """Deletes `atomic_write` temporaries in `folder` whose writer no longer runs.

    Args:
        folder: where the targets are written.
        name_pattern: regex of the target names whose temporaries to look at.
        suffix: the `suffix` the writer passed to `atomic_write`.

    Returns:
        The paths deleted.
    """
    return remove_files_of_ended_processes(folder, temporary_name_pattern(name_pattern, suffix))


def remove_files_of_ended_processes(folder, pattern):
    """Deletes the files in `folder` whose name `pattern` matches and whose
    process (the match's group `pid`) no longer runs; returns their paths.

    Files of the calling process are kept: another of its threads may be
    writing them. A missing folder holds nothing to delete.
    """
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    removed = []
    for name in names:
        match = pattern.match(name)
        if match and not process_is_running(int(match.group("pid"))):
            path = os.path.join(folder, name)
            with contextlib.suppress(FileNotFoundError):  # another cleaner was first
                os.remove(path)
                removed.append(path)
    return removed


def process_is_running(pid):
    """Whether a process with this id runs on this machine (this one included)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False  # os.kill would signal a process group, not a process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    except OverflowError:
        return False  # no process has such an id
    return True
