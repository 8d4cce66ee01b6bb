"""GANCheckpoint: a run never deletes its own checkpoints, resume takes the
newest checkpoint that restores the whole training state, and temporary
files of killed saves are cleaned up. Backend-neutral: TensorFlow only."""

import io
import os
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.callbacks import checkpoint as checkpoint_module
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator

pytestmark = pytest.mark.neutral

DATA = np.random.default_rng(0).uniform(-1, 1, (64, 4)).astype("float32")


def _tiny_gan(seed=0):
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(2, (4,), units=(8,)),
        discriminator=mlp_discriminator((4,), units=(8,), pieces=2),
        seed=seed,
    )
    gan.compile()
    return gan


def _train(folder, epochs, seed=0, **checkpoint_options):
    gan = _tiny_gan(seed)
    callback = GANCheckpoint(folder, **checkpoint_options)
    gan.fit(DATA, batch_size=32, epochs=epochs, callbacks=[callback], verbose=0)
    return gan


def _without(path, group):
    """Rewrites the checkpoint at `path` with `group` deleted from its weights."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    weights = io.BytesIO(members["model.weights.h5"])
    with h5py.File(weights, "a") as store:
        del store[group]
    members["model.weights.h5"] = weights.getvalue()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_new_run_never_deletes_the_checkpoint_it_just_wrote(tmp_path):
    _train(tmp_path, epochs=3)  # another run: epoch_0002 and epoch_0003 remain
    later = (tmp_path / "epoch_0003.keras").read_bytes()

    _train(tmp_path, epochs=1, seed=7)
    # Pruning keeps the newest epochs *up to* the one written; a later epoch
    # of another run does not push the new checkpoint out.
    assert sorted(os.listdir(tmp_path)) == [
        "epoch_0001.keras",
        "epoch_0002.keras",
        "epoch_0003.keras",
    ]
    assert (tmp_path / "epoch_0003.keras").read_bytes() == later


def test_keep_counts_the_new_checkpoint_and_those_before_it(tmp_path):
    _train(tmp_path, epochs=4, keep=3)
    assert sorted(os.listdir(tmp_path)) == [f"epoch_000{n}.keras" for n in (2, 3, 4)]


def test_restore_refuses_a_checkpoint_without_optimizer_state(tmp_path):
    _train(tmp_path, epochs=1, keep=None)
    _without(tmp_path / "epoch_0001.keras", "d_optimizer")
    # Keras alone resumes it with a fresh Adam (iterations 0) and a warning.
    with pytest.raises(ValueError) as error:
        GANCheckpoint.restore(tmp_path)
    message = str(error.value)
    assert "epoch_0001.keras: it lacks d_optimizer's state (0 of its" in message, message
    assert "No checkpoint in" in message and "can be resumed" in message


def test_restore_refuses_a_checkpoint_without_the_seed_state(tmp_path):
    _train(tmp_path, epochs=1, keep=None)
    _without(tmp_path / "epoch_0001.keras", "vars/seed_generator_state")
    with pytest.raises(ValueError, match="epoch_0001.keras: it lacks the seed generator's state"):
        GANCheckpoint.restore(tmp_path)


def test_restore_falls_back_to_the_newest_intact_checkpoint(tmp_path):
    trained = _train(tmp_path, epochs=3, keep=None)
    good = (tmp_path / "epoch_0002.keras").read_bytes()
    _without(tmp_path / "epoch_0003.keras", "g_optimizer/vars/1")
    (tmp_path / "epoch_0004.keras").write_bytes(good[: len(good) // 2])  # a save cut short
    (tmp_path / "epoch_0005.keras").write_bytes(b"")  # a full disk

    assert GANCheckpoint.latest(tmp_path)[1] == 3  # the newest complete archive
    with pytest.warns(checkpoint_module.CheckpointSkippedWarning) as caught:
        restored, epoch = GANCheckpoint.restore(tmp_path)
    assert epoch == 2
    assert int(restored.g_optimizer.iterations) == 4  # 2 epochs of 2 steps, not 0
    skipped = [str(warning.message) for warning in caught]
    assert len(skipped) == 3, skipped
    assert "epoch_0005.keras: it is empty (0 bytes)" in skipped[0]
    assert "epoch_0004.keras: it is truncated or not a .keras file" in skipped[1]
    assert "epoch_0003.keras: it lacks g_optimizer's state (" in skipped[2]
    assert all(message.endswith("resuming from epoch_0002.keras.") for message in skipped)
    assert trained is not restored


def test_restore_names_every_broken_checkpoint_when_none_is_left(tmp_path):
    (tmp_path / "epoch_0001.keras").write_bytes(b"")
    (tmp_path / "epoch_0002.keras").write_text("not a zip")
    with pytest.raises(ValueError) as error:
        GANCheckpoint.restore(tmp_path)
    message = str(error.value)
    assert "epoch_0001.keras: it is empty (0 bytes)" in message
    assert "epoch_0002.keras: it is truncated or not a .keras file" in message
    assert GANCheckpoint.latest(tmp_path) is None


def _ended_process_id():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporary_files_of_killed_saves_are_removed(tmp_path):
    ended = _ended_process_id()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        abandoned = [
            f".epoch_0003.keras.{ended}.tmp.keras",  # the naming before numbered temporaries
            f".epoch_0004.keras.{ended}.12.tmp.keras",
        ]
        kept = [
            f".epoch_0004.keras.{running.pid}.0.tmp.keras",  # a save still being written
            f".epoch_0004.keras.{os.getpid()}.99.tmp.keras",  # another thread of ours
            f".notes.txt.{ended}.0.tmp",  # not a checkpoint's
        ]
        for name in abandoned + kept:
            (tmp_path / name).write_bytes(b"x" * 10)

        _train(tmp_path, epochs=1)
        assert sorted(os.listdir(tmp_path)) == sorted(["epoch_0001.keras", *kept])
    finally:
        running.kill()
        running.wait()


def test_checkpoint_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="every_n_epochs must be a positive integer; got 0"):
        GANCheckpoint(tmp_path, every_n_epochs=0)
    with pytest.raises(ValueError, match=r"keep \(or None\) must be a positive integer; got 0"):
        GANCheckpoint(tmp_path, keep=0)
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="checkpoint folder .*file is a file"):
        GANCheckpoint(tmp_path / "file")
