"""Pretrained presets: save a trained GAN, load it back on any backend, sample.

    generator = keras_gan_zoo.load_generator("dcgan_mnist")
    images = generator.generate(8, seed=0)

A preset is a built-in name, a local folder, an `https://`/`file://` URL or
an `hf://` handle; see `preset_files` for the format and `registry` for the
names. Importing this package registers the built-in presets (the data in
`builtin_presets.py`).
"""

from keras_gan_zoo.encoder import Encoder
from keras_gan_zoo.generator import Generator
from keras_gan_zoo.presets import builtin_presets
from keras_gan_zoo.presets.preset_files import PresetError
from keras_gan_zoo.presets.preset_files import load_model
from keras_gan_zoo.presets.preset_files import read_metadata
from keras_gan_zoo.presets.preset_files import resolve
from keras_gan_zoo.presets.preset_files import save_to_preset
from keras_gan_zoo.presets.registry import list_presets
from keras_gan_zoo.presets.registry import register_preset
from keras_gan_zoo.presets.registry import unregister_preset

for _name, _entry in builtin_presets.PRESETS.items():
    register_preset(_name, **_entry)


def load_generator(preset, refresh=False):
    """The generator of a preset, ready to sample, without the dataset or training code.

    Args:
        preset: a built-in name (see `list_presets()`), a local preset folder,
            an `https://` or `file://` URL of one, or an `hf://owner/repo` handle.
        refresh: for a URL or hf:// preset, ask the server for its current
            version instead of trusting the cached metadata (files that did
            not change come from the cache). Without it, a cached URL preset
            loads offline, and its metadata is fetched again only when a file
            it pins cannot be had.

    Returns:
        A `keras_gan_zoo.Generator` whose `metadata` is the preset's metadata.

    Raises:
        PresetError: the preset cannot be found or its files are not a preset.
        keras_gan_zoo.utils.downloads.DownloadError: a file cannot be downloaded.
        keras_gan_zoo.utils.downloads.IntegrityError: a file fails its sha256.
    """
    model, metadata = load_model(preset, refresh=refresh)
    generator = model.sampler()
    generator.metadata = dict(metadata)
    return generator


def load_encoder(preset, refresh=False):
    """The encoder of a preset whose model has one (BiGAN, ALI, adversarial autoencoders).

    Args:
        preset, refresh: as for `load_generator`.

    Returns:
        A `keras_gan_zoo.Encoder` (images in, codes out) whose `metadata` is
        the preset's metadata.

    Raises:
        PresetError: the preset cannot be found, or its model has no encoder.
        keras_gan_zoo.utils.downloads.DownloadError, IntegrityError: as for
            `load_generator`.
    """
    model, metadata = load_model(preset, refresh=refresh)
    if not hasattr(model, "export_encoder"):
        raise PresetError(
            f"Preset {preset!r} holds a {type(model).__name__}, which has no encoder; presets "
            "of BiGAN, ALI and adversarial autoencoders have one."
        )
    encoder = model.export_encoder()
    encoder.metadata = dict(metadata)
    return encoder


__all__ = [
    "Encoder",
    "Generator",
    "PresetError",
    "list_presets",
    "load_encoder",
    "load_generator",
    "load_model",
    "read_metadata",
    "register_preset",
    "resolve",
    "save_to_preset",
    "unregister_preset",
]
