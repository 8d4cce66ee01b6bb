"""How the command answers a user's mistake: one line, exit status 2, no traceback, no log noise.

The per-command mistakes (train, sample, evaluate) are tested beside their
commands; this file tests the one place that answers them all.
"""

import os
import re
import subprocess
import sys

import keras
import pytest
from conftest import REPO_ROOT
from conftest import cli_error

from keras_gan_zoo.utils import command_line

BACKEND = keras.config.backend()
CLI = ("-m", "keras_gan_zoo.cli")
# What TensorFlow (or absl, or XLA) prints when it logs: "I0000 00:00:17... file.cc:31] ..."
FRAMEWORK_LOG_LINE = re.compile(r"^[IWEF]\d{4} |absl::InitializeLog|cpu_feature_guard|oneDNN")


def _run(*argv, env=None):
    env = dict(os.environ, KERAS_BACKEND=BACKEND, PYTHONPATH=str(REPO_ROOT), **(env or {}))
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # as a user's shell has it
    return subprocess.run(
        [sys.executable, *CLI, *map(str, argv)],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_normal_use_prints_no_framework_logs(tmp_path):
    # What each framework logs comes at its import and its first device query:
    # one command per backend that does both. Sampling asks TensorFlow where it
    # runs: where CUDA's libraries are installed without a GPU, that query
    # logged a cuInit error line.
    sampled = _run("sample", "gan_ring8", "--n", "10", "--out", tmp_path / "points.npy")
    assert sampled.returncode == 0, sampled.stderr
    assert sampled.stderr == "", sampled.stderr
    assert "gan_ring8" in sampled.stdout


@pytest.mark.neutral
def test_a_mistake_is_one_line_on_stderr(tmp_path):
    # Backend-neutral: the start-up filter that hides the frameworks' logs is
    # checked on every backend above.
    listing = _run("presets")
    assert listing.returncode == 0, listing.stderr
    assert "dcgan_mnist" in listing.stdout
    assert listing.stderr == "", listing.stderr

    mistake = _run("sample", "no_such_preset", "--out", "never.png")
    assert mistake.returncode == 2, mistake.stderr
    lines = mistake.stderr.strip().splitlines()
    assert len(lines) == 1, mistake.stderr
    assert lines[0].startswith("keras-gan-zoo: error: Unknown preset 'no_such_preset'")
    assert not (REPO_ROOT / "never.png").exists()


@pytest.mark.neutral
def test_debug_shows_the_traceback_and_the_frameworks_logs():
    result = _run("--debug", "sample", "no_such_preset", "--out", "never.png")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "PresetError: Unknown preset 'no_such_preset'" in result.stderr
    assert any(FRAMEWORK_LOG_LINE.search(line) for line in result.stderr.splitlines())


@pytest.mark.neutral
def test_a_command_line_mistake_is_argparse_usage_and_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        from keras_gan_zoo import cli

        cli.main(["train", "gan", "--verbose", "7"])
    assert exit_info.value.code == 2
    # (An unknown model is the registry's one-line error: tests/test_cli_models.py.)
    assert "argument --verbose: invalid choice: 7" in capsys.readouterr().err


@pytest.mark.neutral
def test_a_missing_checkpoint_file_is_one_line(tmp_path, capsys):
    message = cli_error(capsys, "sample", tmp_path / "gone.keras", "--out", tmp_path / "g.png")
    assert message == f"{tmp_path / 'gone.keras'} does not exist"


@pytest.mark.neutral
def test_framework_noise_is_filtered_and_everything_else_kept(capfd):
    with command_line.filtered_stderr(command_line._NOISE):
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called\n")
        os.write(2, b"I0000 00:00:1.0 1 cudart_stub.cc:31] Could not find cuda drivers\n")
        os.write(2, b"something the user must see\n")
    assert capfd.readouterr().err == "something the user must see\n"


@pytest.mark.neutral
def test_only_the_command_is_quieted(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/venv/bin/keras-gan-zoo", "presets"])
    assert command_line.started_as_command()
    monkeypatch.setattr(sys, "argv", ["-m"])
    monkeypatch.setattr(sys, "orig_argv", ["python", "-X", "dev", "-m", "keras_gan_zoo.cli"])
    assert command_line.started_as_command()
    monkeypatch.setattr(sys, "argv", ["train.py"])
    monkeypatch.setattr(sys, "orig_argv", ["python", "train.py", "-m", "x"])
    assert not command_line.started_as_command()


@pytest.mark.neutral
def test_a_corrupt_image_in_the_training_folder_is_named_on_one_line(tmp_path, capsys):
    import numpy as np

    from keras_gan_zoo.utils import images

    folder = tmp_path / "faces"
    folder.mkdir()
    for index in range(4):
        images.write_png(folder / f"{index}.png", np.full((8, 8, 3), 40 * index, np.uint8))
    (folder / "2.png").write_bytes((folder / "2.png").read_bytes()[:20])  # truncated
    message = cli_error(
        capsys, "train", "gan", "--dataset", folder, "--image-size", "8", "--batch-size", "2",
        "--epochs", "1", "--verbose", "0", "--out", tmp_path / "run",
    )  # fmt: skip
    assert "2.png" in message and "[[" not in message and "{{" not in message, message
