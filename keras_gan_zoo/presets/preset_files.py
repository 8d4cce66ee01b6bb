"""The preset format: writing a preset, finding one, and loading it safely.

A preset is a folder laid out as keras-hub lays out its presets:

    config.json        the model's Keras config (architecture only, no code)
    model.weights.h5   its weights (generator and discriminator)
    metadata.json      what a user needs to know (data, resolution, latent
                       size, metrics with their protocol, license, the command
                       that made it) and the sha256 of the two files above

Loading executes nothing from the files: the config goes through Keras's
deserialization in safe mode (and is refused outright if it carries Python
code), and the weights are HDF5 arrays, never a pickle.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import urllib.parse
import warnings

import keras
import numpy as np

from keras_gan_zoo.presets import registry
from keras_gan_zoo.utils import downloads
from keras_gan_zoo.version import __version__

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"
METADATA_FILE = "metadata.json"
FORMAT_NAME = "keras_gan_zoo.preset"
FORMAT_VERSION = 1


class PresetError(ValueError):
    """A preset cannot be found, is incomplete, or does not fit together."""


# === Writing ===


def save_to_preset(
    model,
    directory,
    *,
    description,
    dataset,
    license,
    metrics=None,
    command=None,
    overwrite=False,
    **extra_metadata,
):
    """Writes a trained GAN as a preset folder that `load_generator` and
    `from_preset` can load on any backend.

    The folder is written next to its destination and moved into place when
    complete, so a preset is either whole or absent.

    Args:
        model: a trained zoo model (`GAN`, `DCGAN`, ...).
        directory: the preset folder to create.
        description: one line saying what the preset is.
        dataset: what it was trained on, including any deviation from the
            usual split (e.g. "MNIST test set, 10,000 images").
        license: license of the weights, e.g. "Apache-2.0".
        metrics: {name: {"value": number, "protocol": how it was measured}}.
        command: the command that produced the preset.
        overwrite: replace an existing preset folder.
        **extra_metadata: more JSON-serializable facts to record.

    Returns:
        `directory`, as a str.
    """
    directory = os.fspath(directory)
    if os.path.exists(directory) and not overwrite:
        raise FileExistsError(f"{directory} already exists; pass overwrite=True to replace it.")
    for name, weight in _named_weights(model):
        if not np.all(np.isfinite(keras.ops.convert_to_numpy(weight))):
            raise ValueError(f"Refusing to save a preset: weight {name!r} has NaN or inf values.")
    for name, entry in (metrics or {}).items():
        if not isinstance(entry, dict) or "value" not in entry or "protocol" not in entry:
            raise ValueError(
                f"Metric {name!r} must be a dict with a 'value' and the 'protocol' it was "
                f"measured with; got {entry!r}."
            )

    parent = os.path.dirname(os.path.abspath(directory))
    os.makedirs(parent, exist_ok=True)
    staging = os.path.join(parent, f".{os.path.basename(directory)}.{os.getpid()}.writing")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    try:
        config = keras.saving.serialize_keras_object(model)
        config.pop("compile_config", None)  # a preset is the networks; compile() to fine-tune
        _write_json(os.path.join(staging, CONFIG_FILE), config)
        _without_training_state(model, config).save_weights(os.path.join(staging, WEIGHTS_FILE))
        metadata = _describe(model, description, dataset, license, metrics or {}, command)
        metadata.update(extra_metadata)
        metadata["files"] = {
            name: downloads.sha256_of(os.path.join(staging, name))
            for name in (CONFIG_FILE, WEIGHTS_FILE)
        }
        _write_json(os.path.join(staging, METADATA_FILE), metadata)
        if os.path.exists(directory):
            retired = staging + ".old"
            os.replace(directory, retired)
            os.replace(staging, directory)
            shutil.rmtree(retired)
        else:
            os.replace(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory


def _without_training_state(model, config):
    """An uncompiled copy of `model` with its weights: a preset holds no optimizer
    state (keras-hub's choice too), which keeps it a third of a checkpoint's size."""
    if not model.compiled:
        return model
    copy = keras.saving.deserialize_keras_object(config)
    for target, source in zip(copy.weights, model.weights, strict=True):
        target.assign(source)
    copy.seed_generator.state.assign(model.seed_generator.state)
    return copy


def _describe(model, description, dataset, license, metrics, command):
    data_shape = [int(d) for d in model.data_shape]
    resolution = f"{data_shape[0]}x{data_shape[1]}" if len(data_shape) == 3 else None
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "description": description,
        "architecture": type(model).__name__,
        "dataset": dataset,
        "data_shape": data_shape,
        "resolution": resolution,
        "data_range": None if model.data_range is None else list(model.data_range),
        "latent_dim": int(model.latent_dim),
        "num_classes": getattr(model, "num_classes", None),
        "parameters": {
            "generator": int(model.generator.count_params()),
            "discriminator": int(model.discriminator.count_params()),
        },
        "metrics": metrics,
        "license": license,
        "command": command,
        "keras_gan_zoo_version": __version__,
        "keras_version": keras.__version__,
        "saved_with_backend": keras.config.backend(),
        "created": datetime.date.today().isoformat(),
    }


def _named_weights(model):
    return [(weight.path, weight) for weight in model.weights]


def _write_json(path, data):
    with open(path, "w") as file:
        json.dump(data, file, indent=2, sort_keys=True)
        file.write("\n")


# === Finding ===


def resolve(preset):
    """The local folder holding `preset`'s files, each checked against its sha256.

    `preset` is a registered name, a local folder, an `https://`, `http://` or
    `file://` URL of a preset folder, or an `hf://owner/repo[/subfolder]`
    Hugging Face handle. Remote files are downloaded into the cache once and
    verified on every later use.
    """
    preset = os.fspath(preset)
    if registry.is_registered(preset):
        return _resolve_registered(preset)
    if preset.startswith("hf://"):
        return _resolve_url(_hugging_face_url(preset))
    if "://" in preset:
        return _resolve_url(preset)
    if os.path.isdir(preset):
        return _resolve_folder(preset)
    if os.sep in preset or preset.startswith("."):
        raise PresetError(f"No preset folder at {preset}.")
    raise PresetError(
        f"Unknown preset {preset!r}. Known presets: {', '.join(registry.names()) or 'none'}. "
        "A preset can also be a local folder, an https:// or file:// URL, or an hf:// handle."
    )


def _resolve_registered(name):
    entry = registry.get(name)
    if "path" in entry:
        # Shipped inside the package: verify (never delete) the installed files.
        for filename, sha256 in entry["files"].items():
            path = os.path.join(entry["path"], filename)
            if not os.path.exists(path):
                raise PresetError(f"Preset {name!r} is incomplete: {path} is missing.")
            downloads.verify_file(path, sha256)
        return entry["path"]
    base = entry["url"]
    if base.startswith("hf://"):
        base = _hugging_face_url(base)
    folder = None
    for filename, sha256 in entry["files"].items():
        path = downloads.fetch(
            _join_url(base, filename), sha256=sha256, cache_subdir=f"presets/{name}"
        )
        folder = os.path.dirname(path)
    return folder


def _resolve_url(url):
    # One cache folder per URL; the metadata file pins the others' hashes.
    url = url.rstrip("/")
    cache_subdir = f"presets/{_slug(url)}"
    metadata_path = downloads.fetch(_join_url(url, METADATA_FILE), cache_subdir=cache_subdir)
    metadata = _read_metadata(metadata_path)
    for filename, sha256 in metadata["files"].items():
        downloads.fetch(_join_url(url, filename), sha256=sha256, cache_subdir=cache_subdir)
    return os.path.dirname(metadata_path)


def _resolve_folder(folder):
    metadata = _read_metadata(os.path.join(folder, METADATA_FILE))
    for filename, sha256 in metadata["files"].items():
        path = os.path.join(folder, filename)
        if not os.path.exists(path):
            raise PresetError(f"Preset folder {folder} is incomplete: {filename} is missing.")
        downloads.verify_file(path, sha256)
    return folder


def _hugging_face_url(handle):
    """hf://owner/repo[/subfolder] -> the URL of that folder on the Hub (main branch)."""
    parts = handle[len("hf://") :].strip("/").split("/")
    if len(parts) < 2 or not all(parts):
        raise PresetError(f"A Hugging Face handle looks like hf://owner/repo, got {handle!r}.")
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    return "/".join([endpoint, parts[0], parts[1], "resolve", "main", *parts[2:]])


def _join_url(base, filename):
    return base.rstrip("/") + "/" + urllib.parse.quote(filename)


def _slug(url):
    readable = "".join(c if c.isalnum() else "_" for c in url.split("://", 1)[-1])[-60:]
    return f"{readable.strip('_')}_{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def read_metadata(preset):
    """The metadata dict of a preset (resolving and verifying it first)."""
    return _read_metadata(os.path.join(resolve(preset), METADATA_FILE))


def _read_metadata(path):
    if not os.path.exists(path):
        raise PresetError(f"{os.path.dirname(path)} is not a preset: it has no {METADATA_FILE}.")
    try:
        with open(path) as file:
            metadata = json.load(file)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PresetError(f"{path} is not valid JSON ({error}).") from error
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise PresetError(f"{path} is not keras_gan_zoo preset metadata.")
    if metadata.get("format_version", 0) > FORMAT_VERSION:
        raise PresetError(
            f"{path} uses preset format {metadata['format_version']}; this keras_gan_zoo "
            f"({__version__}) reads up to {FORMAT_VERSION}. Upgrade keras_gan_zoo."
        )
    files = metadata.get("files")
    expected = {CONFIG_FILE, WEIGHTS_FILE}
    if not isinstance(files, dict) or set(files) != expected:
        raise PresetError(f"{path} must list the sha256 of exactly {sorted(expected)}.")
    return metadata


# === Loading ===


def load_model(preset):
    """The full model stored in `preset` (see `resolve`), with its weights.

    Returns:
        (model, metadata).
    """
    folder = resolve(preset)
    metadata = _read_metadata(os.path.join(folder, METADATA_FILE))
    config_path = os.path.join(folder, CONFIG_FILE)
    with open(config_path) as file:
        config = json.load(file)
    if _carries_code(config):
        raise PresetError(
            f"{config_path} contains Python code (a lambda or a function's bytecode); "
            "presets are loaded without executing code from their files."
        )
    try:
        model = keras.saving.deserialize_keras_object(config, safe_mode=True)
    except (TypeError, ValueError) as error:
        raise PresetError(f"Cannot build the model described in {config_path}: {error}") from error
    weights_path = os.path.join(folder, WEIGHTS_FILE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.load_weights(weights_path)
            # Keras only warns when it skips part of a file; for a preset
            # that means layers keep their random weights, so it is an error.
            skipped = [str(w.message) for w in caught if _PARTIAL_LOAD.search(str(w.message))]
            if skipped:
                raise ValueError(skipped[0])
        except (ValueError, KeyError) as error:
            raise PresetError(
                f"The weights in {weights_path} do not fit the architecture in {config_path}: "
                f"{str(error).splitlines()[0]}"
            ) from error
    return model, metadata


_PARTIAL_LOAD = re.compile(r"Skipping|could not be loaded|freshly-initialized")


def _carries_code(config):
    if isinstance(config, dict):
        if config.get("class_name") == "__lambda__" or "function_type" in config:
            return True
        return any(_carries_code(value) for value in config.values())
    if isinstance(config, list):
        return any(_carries_code(value) for value in config)
    return False
