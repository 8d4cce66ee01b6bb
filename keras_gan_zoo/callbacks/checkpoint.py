"""Checkpoints of the whole training state, written atomically, and resume."""

import glob
import json
import math
import os
import re
import warnings
import zipfile

import keras

from keras_gan_zoo.utils import keras_files
from keras_gan_zoo.utils.arguments import check_int
from keras_gan_zoo.utils.files import atomic_write
from keras_gan_zoo.utils.files import remove_abandoned_temporaries

_NAME = r"epoch_(\d+)\.keras"
_PATTERN = re.compile(_NAME)
_TEMPORARY_SUFFIX = ".keras"  # Keras saves only to names ending in .keras
# What a `.keras` file written by `Model.save` holds.
_ARCHIVE_MEMBERS = ("metadata.json", "config.json", "model.weights.h5")
# What a file that is not a complete, loadable checkpoint raises while loading
# (zipfile.BadZipFile: a member whose bytes fail their CRC).
_LOAD_ERRORS = (ValueError, TypeError, KeyError, OSError, EOFError, zipfile.BadZipFile)


class CheckpointSkippedWarning(UserWarning):
    """`GANCheckpoint.restore` skipped a checkpoint it could not resume from."""


class GANCheckpoint(keras.callbacks.Callback):
    """Saves the complete training state at the end of every N-th epoch.

    Each checkpoint is a `.keras` file holding both networks, every player's
    optimizer (moments and iteration counts), the compile arguments and the
    training seed's state. It is written to a temporary file and renamed into
    place, so a process killed mid-write leaves the previous checkpoint intact
    and never a partial file that looks complete. Temporary files left by
    processes that were killed mid-write are deleted when training starts and
    at every save.

    Resume with `GANCheckpoint.restore(directory)`, which returns the model
    and the epoch to pass to `fit(initial_epoch=...)`. With fixed seeds and a
    dataset whose epoch order depends only on the epoch (as
    `keras_gan_zoo.datasets` builds them, given `initial_epoch`), the resumed
    run ends with the same weights as an uninterrupted one.

    A folder holds the checkpoints of one run. Pruning only ever deletes
    checkpoints of epochs *before* the one just written: checkpoints of later
    epochs (another run's, or one `restore` skipped as broken) are left until
    this run writes those epochs over them, so point a new run at a new
    folder (the `keras-gan-zoo train` command refuses a folder that holds
    another run).

    Args:
        directory: folder for `epoch_0001.keras`, `epoch_0002.keras`, ...
        every_n_epochs: save after every N-th epoch. Default 1.
        keep: how many checkpoints to keep, counting the one just written and
            those of the epochs before it (older ones are deleted after a new
            one is complete). None keeps all.

    Raises:
        ValueError: for a non-positive `every_n_epochs` or `keep`, or a
            `directory` that is a file.
    """

    def __init__(self, directory, every_n_epochs=1, keep=2):
        super().__init__()
        self.directory = os.fspath(directory)
        if os.path.exists(self.directory) and not os.path.isdir(self.directory):
            raise ValueError(f"The checkpoint folder {self.directory} is a file.")
        self.every_n_epochs = check_int(every_n_epochs, "every_n_epochs", minimum=1)
        self.keep = None if keep is None else check_int(keep, "keep (or None)", minimum=1)

    def on_train_begin(self, logs=None):
        # Made now, so that an unwritable folder fails before an epoch is spent.
        os.makedirs(self.directory, exist_ok=True)
        self.remove_abandoned_temporaries()

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        for value in (logs or {}).values():
            if not math.isfinite(float(value)):
                # Never replace a good checkpoint with a diverged state.
                return
        self.save(epoch + 1)

    def save(self, epoch):
        """Writes the checkpoint of `epoch` (number of completed epochs)."""
        self.remove_abandoned_temporaries()
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.keras")
        with atomic_write(path, suffix=_TEMPORARY_SUFFIX) as temporary:
            self.model.save(temporary)
        if self.keep is not None:
            older = [old for old, number in checkpoints(self.directory) if number < epoch]
            for old in older[: max(0, len(older) - (self.keep - 1))]:
                os.remove(old)
        return path

    def remove_abandoned_temporaries(self):
        """Deletes temporary checkpoint files of processes killed mid-write; returns their paths."""
        return remove_abandoned_temporaries(self.directory, _NAME, _TEMPORARY_SUFFIX)

    @staticmethod
    def latest(directory):
        """(path, epoch) of the newest complete checkpoint, or None.

        Complete means a whole `.keras` archive; a truncated or empty file
        (a disk that filled up, a copy cut short) is passed over. Whether it
        also loads is for `restore` to find out.
        """
        for path, epoch in reversed(checkpoints(directory)):
            if _archive_problem(path) is None:
                return path, epoch
        return None

    @staticmethod
    def restore(directory):
        """Loads the newest intact checkpoint: returns (model, epoch), model compiled.

        A checkpoint that cannot be resumed exactly is skipped, newest first:
        an empty or truncated file, one that fails to load, or one missing
        part of the training state (an optimizer's moments and iteration
        count, the seed generator's state; Keras itself would only warn and
        start those afresh). Each skipped file is named, with the reason, in a
        `CheckpointSkippedWarning` once an older one has loaded.

        Raises:
            FileNotFoundError: if the directory holds no checkpoint.
            ValueError: if it holds checkpoints but none can be resumed;
                the message names each file and what is wrong with it.
        """
        found = checkpoints(directory)
        if not found:
            raise FileNotFoundError(f"No checkpoint (epoch_NNNN.keras) in {directory!r}.")
        skipped = []
        for path, epoch in reversed(found):
            try:
                model = _load_checkpoint(path)
            except _LOAD_ERRORS as error:
                skipped.append(f"{path}: {_one_line(error)}")
                continue
            for reason in skipped:
                warnings.warn(
                    f"Skipped checkpoint {reason}; resuming from {os.path.basename(path)}.",
                    CheckpointSkippedWarning,
                    stacklevel=2,
                )
            return model, epoch
        raise ValueError(
            f"No checkpoint in {directory!r} can be resumed: " + "; ".join(reversed(skipped))
        )


def checkpoints(directory):
    """Checkpoint files in `directory` as (path, epoch), oldest first.

    Every `epoch_NNNN.keras` is listed, complete or not; see
    `GANCheckpoint.latest` for the newest complete one.
    """
    found = []
    for path in glob.glob(os.path.join(glob.escape(os.fspath(directory)), "epoch_*.keras")):
        match = _PATTERN.fullmatch(os.path.basename(path))
        if match and os.path.isfile(path):
            found.append((path, int(match.group(1))))
    return sorted(found, key=lambda item: item[1])


class _NotResumable(ValueError):
    """A checkpoint file that cannot give back the whole training state."""


def _load_checkpoint(path):
    problem = _archive_problem(path)
    if problem:
        raise _NotResumable(problem)
    model = None
    try:
        with keras_files.complete_load():
            model = keras.saving.load_model(path)
    except keras_files.IncompleteLoadError as error:
        # The model was built and partly loaded; name what the file lacks.
        missing = _missing_state(path, model) if model is not None else []
        raise _NotResumable(
            f"it lacks {', '.join(missing)}"
            if missing
            else f"Keras loaded only part of it ({error})"
        ) from error
    except json.JSONDecodeError as error:
        raise _NotResumable(f"its config.json is not valid JSON ({error})") from error
    if not model.compiled:
        raise _NotResumable("it holds no optimizers (the model was saved before compile())")
    missing = _missing_state(path, model)
    if missing:
        raise _NotResumable(f"it lacks {', '.join(missing)}")
    return model


def _archive_problem(path):
    """Why `path` is not a whole `.keras` archive, or None."""
    try:
        size = os.path.getsize(path)
        if size == 0:
            return "it is empty (0 bytes)"
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
    except zipfile.BadZipFile as error:
        return f"it is truncated or not a .keras file ({error})"
    except OSError as error:
        return f"it cannot be read ({error})"
    absent = [name for name in _ARCHIVE_MEMBERS if name not in members]
    if absent:
        return f"it is incomplete: the .keras archive lacks {', '.join(absent)}"
    return None


def _missing_state(path, model):
    """The parts of a zoo model's training state that `path` does not hold, as phrases."""
    players = getattr(model, "players", None)
    if players is None:  # not a zoo model: nothing more to check than Keras does
        return []
    import h5py  # a dependency of Keras

    missing = []
    with (
        zipfile.ZipFile(path) as archive,
        archive.open("model.weights.h5") as weights,
        h5py.File(weights, "r") as store,
    ):
        for player in players():
            name = f"{player.prefix}_optimizer"
            optimizer = getattr(model, name, None)
            if optimizer is None:
                continue
            group = store.get(f"{name}/vars")
            saved, expected = (0 if group is None else len(group)), len(optimizer.variables)
            if saved != expected:
                missing.append(f"{name}'s state ({saved} of its {expected} variables saved)")
        if "vars/seed_generator_state" not in store:
            missing.append("the seed generator's state")
    return missing


def _one_line(error):
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 400 else text[:400] + "..."
