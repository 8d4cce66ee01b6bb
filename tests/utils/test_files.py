"""atomic_write's temporary names and the cleanup of abandoned ones.

Backend-neutral: TensorFlow only."""

import os
import re
import threading

import pytest

from keras_gan_zoo.utils import files

pytestmark = pytest.mark.neutral


def test_temporary_names_are_unique_per_call_and_thread(tmp_path):
    target = tmp_path / "stats.npz"
    with files.atomic_write(target) as first, files.atomic_write(target) as second:
        assert first != second  # before: both were .stats.npz.<pid>.tmp
        for temporary in (first, second):
            with open(temporary, "w") as file:
                file.write(temporary)
    assert target.read_text() == first  # the outer block ended last

    names, barrier = [], threading.Barrier(8)

    def write(index):
        with files.atomic_write(target) as temporary:
            names.append(temporary)
            with open(temporary, "w") as file:
                file.write(str(index) * 1000)
            barrier.wait()  # every thread holds its temporary at once

    threads = [threading.Thread(target=write, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(names)) == 8
    content = target.read_text()
    assert len(content) == 1000 and len(set(content)) == 1  # one writer's whole file
    assert os.listdir(tmp_path) == ["stats.npz"]


def test_the_pattern_matches_atomic_write_names(tmp_path):
    pattern = files.temporary_name_pattern(r"epoch_\d+\.keras", ".keras")
    with files.atomic_write(tmp_path / "epoch_0003.keras", suffix=".keras") as temporary:
        match = pattern.match(os.path.basename(temporary))
        open(temporary, "w").close()
    assert match and int(match.group("pid")) == os.getpid()
    assert pattern.match(".epoch_0003.keras.123.tmp.keras")  # unnumbered, as before
    assert not pattern.match(".epoch_0003.keras.123.tmp")
    assert not pattern.match("epoch_0003.keras")


def test_files_of_running_processes_are_kept(tmp_path):
    (tmp_path / ".a.1.part").write_text("")
    (tmp_path / f".a.{os.getpid()}.part").write_text("")
    pattern = re.compile(r"^\.a\.(?P<pid>\d+)\.part$")
    assert files.remove_files_of_ended_processes(tmp_path / "missing", pattern) == []
    files.remove_files_of_ended_processes(tmp_path, pattern)
    # Process 1 always runs; our own files may belong to another of our threads.
    assert sorted(os.listdir(tmp_path)) == sorted([".a.1.part", f".a.{os.getpid()}.part"])
    assert not files.process_is_running(0)
    assert not files.process_is_running(2**70)
