"""Saving, loading, generator export, and kill-and-resume."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
from conftest import REPO_ROOT
from conftest import random_images

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint


@pytest.fixture(scope="module")
def trained_dcgan():
    """A DCGAN after one epoch of 2 steps, shared by the module's tests (none changes it)."""
    gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=8, latent_dim=16, d_steps=2, seed=1)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.RMSprop(5e-4),
        loss="minimax",
    )
    gan.fit(random_images(64), batch_size=32, epochs=1, verbose=0)
    return gan


def test_keras_file_round_trip_keeps_compile_state(trained_dcgan, tmp_path):
    gan = trained_dcgan
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)

    assert isinstance(loaded, keras_gan_zoo.DCGAN)
    assert loaded.d_steps == 2 and loaded.latent_dim == 16 and loaded.filters == 8
    assert loaded.adversarial_loss.name == "minimax"
    assert isinstance(loaded.g_optimizer, keras.optimizers.RMSprop)
    assert float(loaded.d_optimizer.learning_rate) == pytest.approx(1e-3)
    for original, restored in zip(gan.variables, loaded.variables):
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(original), keras.ops.convert_to_numpy(restored)
        )
    for prefix in ("d", "g"):
        saved = getattr(gan, f"{prefix}_optimizer").variables
        restored = getattr(loaded, f"{prefix}_optimizer").variables
        assert len(saved) == len(restored)
        for a, b in zip(saved, restored):
            np.testing.assert_array_equal(
                keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b)
            )
    assert int(loaded.d_optimizer.iterations) == 4

    # Training continues counting from the saved iterations.
    loaded.fit(random_images(64), batch_size=32, epochs=1, verbose=0)
    assert int(loaded.d_optimizer.iterations) == 8
    assert int(loaded.g_optimizer.iterations) == 4


def test_generator_export_samples_without_the_gan(trained_dcgan, tmp_path):
    gan = trained_dcgan
    gan.save_generator(tmp_path / "generator.keras")
    generator = keras.saving.load_model(tmp_path / "generator.keras")
    np.testing.assert_allclose(
        keras_gan_zoo.generate(generator, 6, seed=4), gan.generate(6, seed=4), atol=1e-6
    )


def test_checkpoint_writes_complete_files_and_keeps_the_newest(tmp_path):
    gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=8, latent_dim=16)
    gan.compile()
    checkpoint = GANCheckpoint(tmp_path, keep=2)
    gan.fit(random_images(64), batch_size=32, epochs=3, callbacks=[checkpoint], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["epoch_0002.keras", "epoch_0003.keras"]
    restored, epoch = GANCheckpoint.restore(tmp_path)
    assert epoch == 3 and int(restored.g_optimizer.iterations) == 6
    with pytest.raises(FileNotFoundError, match="No checkpoint"):
        GANCheckpoint.restore(tmp_path / "missing")


def _resume_run(monkeypatch, *arguments):
    # tests/resume_run.py's main() in this process: only the killed run needs
    # a process of its own, and each saved process is a framework import.
    import resume_run

    monkeypatch.setattr(sys, "argv", ["resume_run.py", *map(str, arguments)])
    keras.utils.clear_session()  # a new process's layer names
    resume_run.main()


def test_killed_then_resumed_run_matches_uninterrupted_run(tmp_path, monkeypatch):
    backend = keras.config.backend()
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    _resume_run(monkeypatch, whole, 4)

    # Killed during epoch 3: epochs 1 and 2 are checkpointed, nothing after.
    env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=str(REPO_ROOT))
    died = subprocess.run(
        [sys.executable, "tests/resume_run.py", broken, "4", "--die-in-epoch", "3"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert died.returncode == 17, died.stderr[-2000:]
    assert GANCheckpoint.latest(broken / "checkpoints")[1] == 2
    assert not (broken / "final.npz").exists()

    # Resumed in a process that has already trained (the uninterrupted run):
    # the checkpoint alone must decide what happens next.
    _resume_run(monkeypatch, broken, 4, "--resume")
    expected, resumed = np.load(whole / "final.npz"), np.load(broken / "final.npz")
    assert sorted(expected) == sorted(resumed)
    for name in expected:
        np.testing.assert_allclose(
            resumed[name], expected[name], rtol=1e-6, atol=1e-7, err_msg=name
        )
