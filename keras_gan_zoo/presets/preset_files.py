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

import h5py
import keras
import numpy as np

from keras_gan_zoo.presets import registry
from keras_gan_zoo.utils import downloads
from keras_gan_zoo.utils import keras_files
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
    class_names=None,
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
        class_names: for a conditional model, the name of each class, in
            label order (default "0", "1", ...); recorded with the class count.
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

    class_names = _checked_class_names(model, class_names)

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
        metadata["class_names"] = class_names
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


def _checked_class_names(model, class_names):
    """The class names to record: None for an unconditional model, else one str per class."""
    num_classes = getattr(model, "num_classes", None)
    if num_classes is None:
        if class_names is not None:
            raise ValueError(
                f"class_names given for {type(model).__name__}, which is unconditional."
            )
        return None
    if class_names is None:
        return [str(label) for label in range(num_classes)]
    class_names = [str(name) for name in class_names]
    if len(class_names) != num_classes:
        raise ValueError(
            f"class_names has {len(class_names)} names for a model of {num_classes} classes."
        )
    return class_names


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


def _network_sizes(model):
    """{network name: parameter count} over the networks the model's players update."""
    sizes, counted = {}, set()
    for player in model.players():
        for network in player.networks:
            variables = {id(v) for v in network.weights}
            if variables <= counted:
                continue  # a view of a network already counted (an AAE's category branch)
            counted |= variables
            sizes[network.name] = int(network.count_params())
    return sizes


def _describe(model, description, dataset, license, metrics, command):
    data_shape = [int(d) for d in model.data_shape]
    sampler = model.sampler()
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
        "latent_dim": int(sampler.latent_dim),
        "latent_distribution": sampler.prior.noise.name,
        "num_classes": sampler.num_classes,
        # InfoGAN's latent codes, named c1, c2, ... in this order (categorical first).
        "latent_codes": {
            "categorical": list(sampler.prior.categorical_codes),
            "continuous": int(sampler.prior.continuous_codes),
        },
        "parameters": _network_sizes(model),
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

# Caps on what a download may bring (`downloads.fetch(max_bytes=...)`): a
# preset's metadata is a few KiB and its config tens of KiB (33 KiB for
# dcgan_mnist), so an answer far larger is not one. The weights get the
# downloads default (2 GiB, `$KERAS_GAN_ZOO_DOWNLOAD_MAX_BYTES`). Local files
# are read under the same caps.
METADATA_MAX_BYTES = 1 << 20
CONFIG_MAX_BYTES = 16 << 20
_MAX_BYTES = {METADATA_FILE: METADATA_MAX_BYTES, CONFIG_FILE: CONFIG_MAX_BYTES}

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A part of an hf:// handle (owner, repo, subfolder): a plain name, never `.` or `..`.
_HANDLE_PART = re.compile(r"^(?!\.{1,2}$)[A-Za-z0-9._-]+$")


def resolve(preset, refresh=False):
    """The local folder holding `preset`'s files, each checked against its sha256.

    `preset` is a registered name, a local folder, an `https://`, `http://` or
    `file://` URL of a preset folder, or an `hf://owner/repo[/subfolder]`
    Hugging Face handle. Remote files are downloaded into the cache once and
    verified on every later use.

    A URL preset's `metadata.json` pins the hashes of its other files. When a
    pinned file cannot be had (the server answers 404, or bytes that fail
    the pin), the metadata is fetched again once and its new pins are tried,
    so a new version on the server is picked up. `refresh=True` asks the
    server for its current metadata up front (the way to learn of a new
    version while the cached one still loads); files whose pins did not
    change are taken from the cache. Registered and local presets are pinned
    by their own files: for them `refresh` changes nothing.

    Raises:
        PresetError: no such preset, or its metadata is not valid.
        downloads.DownloadError: a remote file cannot be downloaded.
        downloads.IntegrityError: a file fails its sha256.
    """
    return _resolve(preset, refresh)[0]


def _resolve(preset, refresh):
    """(folder, metadata) of `preset`; see `resolve`."""
    if not isinstance(preset, (str, os.PathLike)):
        raise PresetError(
            f"A preset is a name, a folder, a URL or an hf:// handle (a str), got "
            f"{type(preset).__name__} {preset!r}."
        )
    preset = os.fspath(preset)
    if registry.is_registered(preset):
        folder = _resolve_registered(preset, refresh)
    elif preset.startswith("hf://"):
        return _resolve_url(_hugging_face_url(preset), refresh)
    elif "://" in preset:
        return _resolve_url(preset, refresh)
    elif os.path.isdir(preset):
        folder = _resolve_folder(preset)
    elif os.sep in preset or preset.startswith("."):
        raise PresetError(f"No preset folder at {preset}.")
    else:
        raise PresetError(
            f"Unknown preset {preset!r}. Known presets: {', '.join(registry.names()) or 'none'}. "
            "A preset can also be a local folder, an https:// or file:// URL, or an hf:// handle."
        )
    return folder, _read_metadata(os.path.join(folder, METADATA_FILE))


def _resolve_registered(name, refresh):
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
            _join_url(base, filename),
            sha256=sha256,
            cache_subdir=f"presets/{name}",
            max_bytes=_MAX_BYTES.get(filename),
            refresh=refresh,
        )
        folder = os.path.dirname(path)
    return folder


def _resolve_url(url, refresh):
    # One cache folder per URL; the metadata file pins the others' hashes.
    url = url.rstrip("/")
    cache_subdir = f"presets/{_slug(url)}"
    metadata_path, metadata = _fetch_url_metadata(url, cache_subdir, refresh)
    try:
        _fetch_pinned_files(url, cache_subdir, metadata, refresh)
    except (downloads.DownloadError, downloads.IntegrityError) as error:
        if refresh:
            raise
        # The cached metadata may pin a version the server no longer has (or
        # had not finished publishing): ask for its current metadata, once.
        try:
            metadata_path, metadata = _fetch_url_metadata(url, cache_subdir, refresh=True)
        except (downloads.DownloadError, PresetError):
            raise error from None
        _fetch_pinned_files(url, cache_subdir, metadata, refresh=True)
    return os.path.dirname(metadata_path), metadata


def _fetch_url_metadata(url, cache_subdir, refresh):
    """(path, metadata) of a URL preset's metadata.json, from the cache or the server.

    The metadata has no pin, so what the server answers is checked before it
    is cached: an error page served with status 200 never enters the cache.
    """
    metadata_url = _join_url(url, METADATA_FILE)
    path = downloads.fetch(
        metadata_url,
        cache_subdir=cache_subdir,
        max_bytes=METADATA_MAX_BYTES,
        validate=lambda downloaded: _check_downloaded_metadata(downloaded, metadata_url),
        refresh=refresh,
    )
    return path, _read_metadata(path)


def _check_downloaded_metadata(path, url):
    try:
        _read_metadata(path, source=url)
    except PresetError as error:
        raise PresetError(f"{error} Nothing was cached.") from error


def _fetch_pinned_files(url, cache_subdir, metadata, refresh):
    for filename, sha256 in metadata["files"].items():
        downloads.fetch(
            _join_url(url, filename),
            sha256=sha256,
            cache_subdir=cache_subdir,
            max_bytes=_MAX_BYTES.get(filename),
            refresh=refresh,
        )


def _resolve_folder(folder):
    metadata = _read_metadata(os.path.join(folder, METADATA_FILE))
    for filename, sha256 in metadata["files"].items():
        path = os.path.join(folder, filename)
        if not os.path.isfile(path):
            raise PresetError(f"Preset folder {folder} is incomplete: {filename} is missing.")
        downloads.verify_file(path, sha256)
    return folder


def _hugging_face_url(handle):
    """hf://owner/repo[/subfolder] -> the URL of that folder on the Hub (main branch)."""
    parts = handle[len("hf://") :].rstrip("/").split("/")
    if len(parts) < 2 or not all(_HANDLE_PART.match(part) for part in parts):
        raise PresetError(
            "A Hugging Face handle looks like hf://owner/repo or hf://owner/repo/subfolder, "
            "each part a plain name (letters, digits, '.', '_', '-'; not '.' or '..'), "
            f"got {handle!r}."
        )
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    return "/".join([endpoint, parts[0], parts[1], "resolve", "main", *parts[2:]])


def _join_url(base, filename):
    return base.rstrip("/") + "/" + urllib.parse.quote(filename)


def _slug(url):
    readable = "".join(c if c.isalnum() else "_" for c in url.split("://", 1)[-1])[-60:]
    return f"{readable.strip('_')}_{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def read_metadata(preset, refresh=False):
    """The metadata dict of a preset (resolving and verifying it first; see `resolve`)."""
    return _resolve(preset, refresh)[1]


def _read_metadata(path, source=None):
    """The checked metadata in `path`; `source` names it in messages (default `path`)."""
    source = source or path
    if not os.path.isfile(path):
        raise PresetError(f"{os.path.dirname(path)} is not a preset: it has no {METADATA_FILE}.")
    metadata = _read_json(path, source, METADATA_MAX_BYTES, "keras_gan_zoo preset metadata")
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise PresetError(
            f"{source} is not keras_gan_zoo preset metadata (a JSON object whose "
            f'"format" is "{FORMAT_NAME}"); it holds {_describe_json(metadata)}.'
        )
    version = metadata.get("format_version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise PresetError(f"{source} has format_version {version!r}; expected a whole number.")
    if version > FORMAT_VERSION:
        raise PresetError(
            f"{source} uses preset format {version}; this keras_gan_zoo "
            f"({__version__}) reads up to {FORMAT_VERSION}. Upgrade keras_gan_zoo."
        )
    files = metadata.get("files")
    expected = {CONFIG_FILE, WEIGHTS_FILE}
    if (
        not isinstance(files, dict)
        or set(files) != expected
        or not all(isinstance(h, str) and _SHA256.match(h) for h in files.values())
    ):
        raise PresetError(
            f"{source} must list the sha256 (64 lowercase hex digits) of exactly "
            f'{sorted(expected)} under "files"; it has {files!r:.200}.'
        )
    return metadata


def _read_json(path, source, max_bytes, what):
    """The JSON value in `path` (at most `max_bytes`), or a `PresetError` saying why not."""
    with open(path, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PresetError(f"{source} is larger than {max_bytes} bytes: too large to be {what}.")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError
        raise PresetError(
            f"{source} is not {what}: it is not valid JSON ({error}); it begins with "
            f"{data[:60]!r}{' (an error page?)' if data.lstrip()[:1] == b'<' else ''}."
        ) from error


def _describe_json(value):
    if isinstance(value, dict):
        return f"an object with keys {sorted(map(str, value))[:8]}"
    return f"a JSON {type(value).__name__}"


# === Loading ===


def load_model(preset, refresh=False):
    """The full model stored in `preset` (see `resolve`), with its weights.

    Args:
        preset: a built-in name, a local folder, a URL or an hf:// handle.
        refresh: for a URL or hf:// preset, ask the server for its current
            version first (see `resolve`).

    Returns:
        (model, metadata).

    Raises:
        PresetError: the preset cannot be found, or its files are not a
            preset (not JSON, not a model's config, weights that are not HDF5
            or do not fit the architecture).
        downloads.DownloadError, downloads.IntegrityError: see `resolve`.
    """
    from keras_gan_zoo.engine.adversarial_model import AdversarialModel

    folder, metadata = _resolve(preset, refresh)
    config_path = os.path.join(folder, CONFIG_FILE)
    config = _read_json(config_path, config_path, CONFIG_MAX_BYTES, "a Keras model config")
    if not isinstance(config, dict) or not {"class_name", "config"} <= set(config):
        raise PresetError(
            f'{config_path} is not a Keras model config (a JSON object with "class_name" '
            f'and "config"); it holds {_describe_json(config)}.'
        )
    try:
        carries_code = _carries_code(config)
    except RecursionError as error:
        raise PresetError(f"{config_path} is nested too deeply to be a model config.") from error
    if carries_code:
        raise PresetError(
            f"{config_path} contains Python code (a lambda or a function's bytecode); "
            "presets are loaded without executing code from their files."
        )
    try:
        model = keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception as error:
        # Keras raises many kinds of errors on a malformed config; each means
        # the file does not describe a model.
        raise PresetError(
            f"Cannot build the model described in {config_path}: {type(error).__name__}: "
            f"{_first_line(error)}"
        ) from error
    if not isinstance(model, AdversarialModel):
        raise PresetError(
            f"{config_path} describes a {type(model).__name__}, not a keras_gan_zoo model "
            "(GAN, DCGAN, ...)."
        )
    weights_path = os.path.join(folder, WEIGHTS_FILE)
    if not h5py.is_hdf5(weights_path):
        raise PresetError(f"{weights_path} is not a Keras weights file (HDF5).")
    try:
        # Keras only warns when it skips part of a file; for a preset that
        # means layers keep their random weights, so it is an error.
        with keras_files.complete_load():
            model.load_weights(weights_path)
    except Exception as error:
        # As for the config: an HDF5 file of the wrong layout fails in many
        # ways inside Keras and h5py.
        raise PresetError(
            f"The weights in {weights_path} do not fit the architecture in {config_path}: "
            f"{_first_line(error)}"
        ) from error
    return model, metadata


def _first_line(error):
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _carries_code(config):
    if isinstance(config, dict):
        if config.get("class_name") == "__lambda__" or "function_type" in config:
            return True
        return any(_carries_code(value) for value in config.values())
    if isinstance(config, list):
        return any(_carries_code(value) for value in config)
    return False
