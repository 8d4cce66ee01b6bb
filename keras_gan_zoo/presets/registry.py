"""The preset registry: preset name -> where its files are and their sha256.

The built-in entries are plain data in `builtin_presets.py`, registered when
`keras_gan_zoo.presets` is imported. `register_preset` adds your own, e.g. a
team's presets on an internal server, pinned by hash.
"""

import os

_PRESETS = {}


def register_preset(name, *, files, description, path=None, url=None, overwrite=False):
    """Adds a preset under `name`, its files pinned by sha256.

    Args:
        name: the name `load_generator(name)` will accept.
        files: {filename: sha256} for `config.json`, `model.weights.h5` and
            `metadata.json`.
        description: one line, shown by `list_presets()`.
        path: a local folder holding the files (e.g. shipped in a package), or
        url: the base `https://`, `file://` or `hf://` address of the folder;
            its files are downloaded into the cache and verified.
        overwrite: replace an existing entry of that name.
    """
    if (path is None) == (url is None):
        raise ValueError(f"Preset {name!r}: give exactly one of path= or url=.")
    if name in _PRESETS and not overwrite:
        raise ValueError(f"A preset named {name!r} is already registered.")
    if not name or "/" in name or os.sep in name or "://" in name:
        raise ValueError(f"Preset names are plain words (no slashes or schemes), got {name!r}.")
    required = {"config.json", "model.weights.h5", "metadata.json"}
    if set(files) != required:
        raise ValueError(f"Preset {name!r} must pin the sha256 of exactly {sorted(required)}.")
    entry = {"description": description, "files": dict(files)}
    entry.update({"path": os.fspath(path)} if path is not None else {"url": url})
    _PRESETS[name] = entry


def unregister_preset(name):
    """Removes a registered preset (mostly for tests)."""
    _PRESETS.pop(name, None)


def is_registered(name):
    return name in _PRESETS


def get(name):
    return dict(_PRESETS[name])


def names():
    return sorted(_PRESETS)


def list_presets(print_fn=print):
    """Prints each registered preset with its one-line description.

    Returns:
        {name: description}.
    """
    described = {name: _PRESETS[name]["description"] for name in names()}
    width = max((len(name) for name in described), default=0)
    for name, description in described.items():
        print_fn(f"{name:<{width}}  {description}")
    return described
