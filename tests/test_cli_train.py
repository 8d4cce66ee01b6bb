"""`keras-gan-zoo train`: run folders, resume, and a user's mistakes.

Run in this process (`cli.main`), on a tiny GAN: 8x8 digits, 7 steps an
epoch. Backend-neutral: TensorFlow only (tests/test_cli.py trains and resumes
through the command on every backend).
"""

import os
import shutil

import keras
import numpy as np
import pytest
from conftest import cli_error

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.callbacks import checkpoint as checkpoint_module

pytestmark = pytest.mark.neutral

TINY = ("--image-size", "8", "--latent-dim", "4", "--batch-size", "256", "--verbose", "0")


def _train(out, *options):
    cli.main(["train", "gan", *TINY, "--out", str(out), *options])


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """A run of 2 epochs: checkpoints 1 and 2, two sample grids, generator.keras."""
    out = tmp_path_factory.mktemp("finished") / "run"
    _train(out, "--epochs", "2")
    return out


@pytest.fixture
def run(finished_run, tmp_path):
    """A copy of `finished_run` for one test to change."""
    return shutil.copytree(finished_run, tmp_path / "run")


def _listing(out):
    return {folder: sorted(os.listdir(out / folder)) for folder in ("checkpoints", "samples")} | {
        "generator": (out / "generator.keras").stat().st_mtime_ns
    }


# === A run folder belongs to one run ===


def test_a_new_run_into_a_used_folder_is_refused(run, capsys):
    before = _listing(run)
    message = cli_error(capsys, "train", "gan", *TINY, "--out", run, "--epochs", "1", "--seed", "7")
    assert message == (
        f"{run} holds another run (checkpoints up to epoch 2); pass --resume to continue it, "
        "or --overwrite to delete its checkpoints, samples and generator.keras and start a "
        "new run there"
    )
    assert _listing(run) == before


def test_overwrite_replaces_the_old_run(run, capsys):
    _train(run, "--epochs", "1", "--seed", "7", "--overwrite")
    assert "Deleted the previous run's 5 files" in capsys.readouterr().out
    assert sorted(os.listdir(run / "checkpoints")) == ["epoch_0001.keras"]
    assert sorted(os.listdir(run / "samples")) == ["epoch_0001.png"]
    model, epoch = GANCheckpoint.restore(run / "checkpoints")
    assert epoch == 1 and model.seed == 7
    # generator.keras is the new run's too: it is the generator of its last checkpoint.
    exported = keras.saving.load_model(run / "generator.keras")
    np.testing.assert_allclose(
        keras_gan_zoo.generate(exported, 4, seed=1),
        keras_gan_zoo.generate(model.generator, 4, seed=1),
        atol=1e-6,
    )


def test_resume_and_overwrite_exclude_each_other(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        _train(tmp_path / "run", "--resume", "--overwrite")
    assert exit_info.value.code == 2
    assert "argument --overwrite: not allowed with argument --resume" in capsys.readouterr().err


# === Resume ===


def test_resume_skips_a_truncated_newest_checkpoint_and_names_it(run, capsys):
    newest = run / "checkpoints" / "epoch_0002.keras"
    newest.write_bytes(newest.read_bytes()[:1000])  # a save cut short by a full disk
    _train(run, "--epochs", "2", "--resume")
    captured = capsys.readouterr()
    assert "Resuming from epoch 1" in captured.out
    assert captured.err.startswith(
        f"keras-gan-zoo: warning: Skipped checkpoint {newest}: it is truncated or not a "
        ".keras file (File is not a zip file); resuming from epoch_0001.keras."
    ), captured.err
    assert GANCheckpoint.restore(run / "checkpoints")[1] == 2  # epoch 2 written again


def test_resume_with_nothing_to_resume_says_so(tmp_path, capsys):
    message = cli_error(capsys, "train", "gan", *TINY, "--out", tmp_path / "run", "--resume")
    checkpoints = tmp_path / "run" / "checkpoints"
    assert message == (
        f"Nothing to resume: {checkpoints} holds no checkpoint (epoch_NNNN.keras). "
        f"Leave out --resume to start a new run in {tmp_path / 'run'}"
    )
    assert not (tmp_path / "run").exists()


def test_resume_of_a_finished_run_says_there_is_nothing_to_train(run, capsys):
    message = cli_error(capsys, "train", "gan", *TINY, "--out", run, "--resume", "--epochs", "2")
    assert message == (
        f"The run in {run} has trained 2 epochs already; --epochs 2 leaves nothing to train. "
        "Pass a larger --epochs to continue it"
    )


def test_resume_when_no_checkpoint_can_be_resumed_names_each(run, capsys):
    for path in (run / "checkpoints").iterdir():
        path.write_bytes(b"")
    message = cli_error(capsys, "train", "gan", *TINY, "--out", run, "--resume")
    assert message.startswith(f"No checkpoint in '{run / 'checkpoints'}' can be resumed: ")
    assert "epoch_0001.keras: it is empty (0 bytes); " in message
    assert message.endswith("epoch_0002.keras: it is empty (0 bytes)")


# === A user's mistakes, answered before any training ===


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--epochs", "0"),  # said "the dataset is empty" after loading everything
        ("--epochs", "-2"),
        ("--batch-size", "0"),
        ("--image-size", "0"),
        ("--latent-dim", "0"),  # trained a GAN on no noise at all
        ("--sample-every", "0"),  # ZeroDivisionError after the first epoch
        ("--filters", "0"),
        ("--epochs", "two"),
    ],
)
def test_counts_must_be_positive(tmp_path, capsys, flag, value):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "dcgan", flag, value, "--out", str(tmp_path / "run")])
    assert exit_info.value.code == 2
    last_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert last_line == (
        f"keras-gan-zoo train: error: argument {flag}: must be a positive integer; got '{value}'"
    )
    assert not (tmp_path / "run").exists()


def test_seed_must_be_one_numpy_accepts(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["train", "gan", "--seed", "-1", "--out", str(tmp_path / "run")])
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "keras-gan-zoo train: error: argument --seed: must be an integer from 0 to 2**32 - 1; "
        "got '-1'"
    )


def test_out_naming_a_file_is_refused_before_training(tmp_path, capsys):
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    message = cli_error(capsys, "train", "gan", *TINY, "--out", taken, "--epochs", "1")
    assert message == (
        f"--out {taken} is a file; it must name the run's folder "
        "(for checkpoints/, samples/ and generator.keras)"
    )
    assert taken.read_text() == "mine"

    message = cli_error(capsys, "train", "gan", *TINY, "--out", taken / "run", "--epochs", "1")
    assert message.startswith(f"Cannot create the run folder --out {taken / 'run'}: ")
    assert "Not a directory" in message


def test_out_with_an_unknown_placeholder_is_named(tmp_path, capsys):
    message = cli_error(capsys, "train", "gan", "--out", f"{tmp_path}/{{modle}}")
    assert message == (
        f"--out {tmp_path}/{{modle}}: only {{model}} and {{dataset}} may appear in braces "
        "(KeyError('modle'))"
    )


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        (
            "./no/such/folder",
            "--dataset ./no/such/folder is neither 'digits', an existing folder, nor a known "
            "tensorflow-datasets name (no such folder)",
        ),
        (
            "no_such_dataset_anywhere",
            "--dataset no_such_dataset_anywhere is neither 'digits', an existing folder, nor a "
            "known tensorflow-datasets name (Unknown tensorflow-datasets name "
            "'no_such_dataset_anywhere'.",
        ),
    ],
)
def test_an_unknown_dataset_is_named(tmp_path, capsys, dataset, expected):
    message = cli_error(capsys, "train", "gan", "--dataset", dataset, "--out", tmp_path / "run")
    assert message.startswith(expected), message


def test_a_file_as_dataset_is_named(tmp_path, capsys):
    images = tmp_path / "images.png"
    images.write_bytes(b"")
    message = cli_error(capsys, "train", "gan", "--dataset", images, "--out", tmp_path / "run")
    assert message == (
        f"--dataset {images} is a file; pass the folder that holds the images or IDX files"
    )


@pytest.mark.parametrize(
    ("diverges_in_epoch", "kept"), [(1, "No checkpoint had been written yet."), (2, "epoch_0001")]
)
def test_a_diverging_run_stops_with_one_line_and_keeps_its_last_checkpoint(
    tmp_path, capsys, monkeypatch, diverges_in_epoch, kept
):
    guard = keras_gan_zoo.engine.TrainingGuard
    check = guard.on_train_batch_end

    def diverging(self, batch, logs=None):
        if self._epoch + 1 == diverges_in_epoch and batch == 3:
            logs = dict(logs, g_loss=float("nan"))
        return check(self, batch, logs)

    monkeypatch.setattr(guard, "on_train_batch_end", diverging)
    out = tmp_path / "run"
    message = cli_error(capsys, "train", "gan", *TINY, "--out", out, "--epochs", "3")
    assert message.startswith(
        f"g_loss became nan at epoch {diverges_in_epoch}, batch 4: training stopped."
    ), message
    if kept.startswith("epoch"):
        kept = f"The last good checkpoint is {out / 'checkpoints' / kept}.keras."
        assert sorted(os.listdir(out / "checkpoints")) == ["epoch_0001.keras"]
    assert message.endswith(kept), message
    assert not (out / "generator.keras").exists()


def test_checkpoint_skipped_warnings_are_not_lost_by_the_library(run):
    # The library reports skipped checkpoints as warnings; the command prints them.
    (run / "checkpoints" / "epoch_0002.keras").write_bytes(b"")
    with pytest.warns(checkpoint_module.CheckpointSkippedWarning, match="0 bytes"):
        GANCheckpoint.restore(run / "checkpoints")
