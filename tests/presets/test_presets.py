"""Presets: save, find (name, folder, URL, hf://), verify and load.

Saving, loading and sampling (also across backends) run on every backend;
finding, downloading, verifying and refusing files are file plumbing and run
once (`neutral`).
"""

import concurrent.futures
import json
import shutil
import threading
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest
from conftest import BACKENDS
from conftest import made_once
from conftest import run_python

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo import presets
from keras_gan_zoo.presets import preset_files
from keras_gan_zoo.utils import downloads

SAVE_SCRIPT = Path(__file__).with_name("save_preset_run.py")


def _small_dcgan(seed=0):
    return keras_gan_zoo.DCGAN(image_shape=(16, 16, 1), filters=4, latent_dim=8, seed=seed)


def _save(model, directory, **overrides):
    metadata = dict(
        description="a test preset",
        dataset="none (random weights)",
        license="Apache-2.0",
        metrics={"untrained": {"value": 0.0, "protocol": "nothing measured"}},
        command="pytest",
    )
    metadata.update(overrides)
    return keras_gan_zoo.save_to_preset(model, directory, **metadata)


def _rehash(directory):
    """Rewrites metadata.json's file hashes after a deliberate edit."""
    metadata_path = Path(directory) / "metadata.json"
    metadata = json.loads(metadata_path.read_text())
    for name in metadata["files"]:
        metadata["files"][name] = downloads.sha256_of(Path(directory) / name)
    metadata_path.write_text(json.dumps(metadata))


def _pins(directory):
    return {
        name: downloads.sha256_of(Path(directory) / name)
        for name in ("config.json", "model.weights.h5", "metadata.json")
    }


def test_round_trip_keeps_samples_and_records_metadata(tmp_path):
    gan = _small_dcgan()
    gan.compile()  # optimizer state exists, but a preset leaves it out
    folder = _save(gan, tmp_path / "preset")
    with h5py.File(Path(folder) / "model.weights.h5") as weights:
        assert "optimizer" not in weights and set(weights) >= {"generator", "discriminator"}
    assert sorted(p.name for p in Path(folder).iterdir()) == [
        "config.json",
        "metadata.json",
        "model.weights.h5",
    ]
    generator = keras_gan_zoo.load_generator(folder)
    np.testing.assert_array_equal(generator.generate(6, seed=3), gan.generate(6, seed=3))
    metadata = generator.metadata
    assert metadata["architecture"] == "DCGAN" and metadata["latent_dim"] == 8
    assert metadata["resolution"] == "16x16" and metadata["data_shape"] == [16, 16, 1]
    assert metadata["license"] == "Apache-2.0" and metadata["num_classes"] is None
    assert metadata["metrics"]["untrained"]["protocol"] == "nothing measured"
    assert metadata["saved_with_backend"] == keras.config.backend()

    restored = keras_gan_zoo.DCGAN.from_preset(folder)
    for ours, theirs in zip(gan.weights, restored.weights):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(ours), theirs.numpy())
    assert keras_gan_zoo.GAN.from_preset(folder).preset_metadata["architecture"] == "DCGAN"


@pytest.mark.parametrize("source_backend", BACKENDS)
def test_preset_saved_on_one_backend_samples_identically_on_this_one(shared_folder, source_backend):
    if source_backend == keras.config.backend():
        pytest.skip("same backend; covered by the round-trip test")
    # Saved once per suite: the other two backends' runs load the same preset.
    saved = made_once(
        shared_folder,
        f"preset_from_{source_backend}",
        lambda scratch: run_python([SAVE_SCRIPT, scratch / "preset"], source_backend, timeout=300),
    )
    expected = np.load(saved / "samples.npy")
    actual = keras_gan_zoo.load_generator(saved / "preset").generate(16, seed=7)
    np.testing.assert_allclose(actual, expected, atol=1e-5)


def test_built_in_presets_are_listed_and_load_offline(capsys):
    listed = keras_gan_zoo.list_presets()
    assert {"dcgan_mnist", "gan_ring8"} <= set(listed)
    assert "dcgan_mnist" in capsys.readouterr().out
    generator = keras_gan_zoo.load_generator("dcgan_mnist")
    images = generator.generate(8, seed=0)
    assert images.shape == (8, 28, 28, 1) and images.min() >= -1 and images.max() <= 1
    assert "MNIST" in generator.metadata["dataset"]
    # Every built-in preset samples offline on this backend: a class, codes where it has them.
    for name in presets.builtin_presets.PRESETS:
        generator = keras_gan_zoo.load_generator(name)
        options = {} if generator.num_classes is None else {"labels": 1}
        if generator.code_names:
            options["codes"] = {generator.code_names[0]: 1}
        samples = generator.generate(4, seed=0, **options)
        assert samples.shape == (4, *generator.metadata["data_shape"]), name
        assert np.all(np.isfinite(samples)) and samples.std() > 0, name


@pytest.mark.neutral
def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(presets.PresetError, match="Unknown preset 'dcgan_mnits'.*dcgan_mnist"):
        keras_gan_zoo.load_generator("dcgan_mnits")
    with pytest.raises(presets.PresetError, match="No preset folder"):
        keras_gan_zoo.load_generator("./no/such/folder")
    with pytest.raises(presets.PresetError, match=r"\(a str\), got int 3"):
        keras_gan_zoo.load_generator(3)


@pytest.mark.neutral
def test_download_from_localhost_then_offline_then_tampered(tmp_path, cache, served):
    gan = _small_dcgan()
    _save(gan, Path(served.root) / "dcgan_small")
    url = f"{served.url}/dcgan_small"
    expected = gan.generate(4, seed=0)
    np.testing.assert_array_equal(keras_gan_zoo.load_generator(url).generate(4, seed=0), expected)

    served.stop()  # the server is gone: a complete cache is enough
    generator = keras_gan_zoo.load_generator(url)
    np.testing.assert_array_equal(generator.generate(4, seed=0), expected)

    cached_weights = next(Path(cache).rglob("model.weights.h5"))
    with open(cached_weights, "r+b") as file:
        file.seek(-64, 2)
        file.write(b"\xff" * 64)
    with pytest.raises(downloads.IntegrityError, match="model.weights.h5"):
        keras_gan_zoo.load_generator(url)
    assert not cached_weights.exists()


@pytest.mark.neutral
def test_registered_remote_preset_is_pinned_by_hash(tmp_path, cache, served):
    folder = _save(_small_dcgan(), Path(served.root) / "team_preset")
    pins = _pins(folder)
    presets.register_preset(
        "team_preset", url=f"{served.url}/team_preset", files=pins, description="ours"
    )
    try:
        assert keras_gan_zoo.load_generator("team_preset").latent_dim == 8
        # A server that later serves different bytes is caught by the pins.
        shutil.rmtree(cache)
        _save(_small_dcgan(seed=1), folder, overwrite=True)
        with pytest.raises(downloads.IntegrityError, match="expected"):
            keras_gan_zoo.load_generator("team_preset")
    finally:
        presets.unregister_preset("team_preset")


@pytest.mark.neutral
def test_interrupted_preset_download_leaves_nothing(cache, served):
    _save(_small_dcgan(), Path(served.root) / "dcgan_small")
    served.mode = "truncate"
    with pytest.raises(downloads.DownloadError, match="cut off"):
        keras_gan_zoo.load_generator(f"{served.url}/dcgan_small")
    assert not [p for p in Path(cache).rglob("*") if p.is_file() and p.suffix != ".sha256"]


@pytest.mark.neutral
def test_hugging_face_handles_and_file_urls(tmp_path, cache, served, monkeypatch):
    gan = _small_dcgan()
    _save(gan, Path(served.root) / "someone/gan-repo/resolve/main")
    monkeypatch.setenv("HF_ENDPOINT", served.url)
    generator = keras_gan_zoo.load_generator("hf://someone/gan-repo")
    np.testing.assert_array_equal(generator.generate(2, seed=0), gan.generate(2, seed=0))
    assert "/someone/gan-repo/resolve/main/metadata.json" in served.requests

    local = _save(gan, tmp_path / "local_preset")
    from_file_url = keras_gan_zoo.load_generator(Path(local).as_uri())
    np.testing.assert_array_equal(from_file_url.generate(2, seed=0), gan.generate(2, seed=0))


@pytest.mark.neutral
def test_tampered_local_and_built_in_files_are_reported(tmp_path):
    folder = _save(_small_dcgan(), tmp_path / "preset")
    with open(Path(folder) / "model.weights.h5", "ab") as file:
        file.write(b"extra")
    with pytest.raises(downloads.IntegrityError, match="model.weights.h5"):
        keras_gan_zoo.load_generator(folder)

    built_in = presets.registry.get("dcgan_mnist")
    copy = shutil.copytree(built_in["path"], tmp_path / "dcgan_mnist_copy")
    presets.register_preset("tampered_copy", path=copy, files=built_in["files"], description="copy")
    try:
        config = Path(copy) / "config.json"
        config.write_text(config.read_text().replace('"latent_dim": 100', '"latent_dim": 101'))
        with pytest.raises(downloads.IntegrityError, match="config.json"):
            keras_gan_zoo.load_generator("tampered_copy")
    finally:
        presets.unregister_preset("tampered_copy")


@pytest.mark.neutral
def test_architecture_that_does_not_match_the_weights_fails_clearly(tmp_path):
    folder = _save(_small_dcgan(), tmp_path / "preset")
    config_path = Path(folder) / "config.json"
    config = json.loads(config_path.read_text())
    layers = config["config"]["generator"]["config"]["layers"]
    output_conv = [layer for layer in layers if layer["class_name"] == "Conv2DTranspose"][-1]
    # Same output shape, but a 3x3 kernel: the saved 4x4 kernel no longer fits.
    output_conv["config"]["kernel_size"] = [3, 3]
    config_path.write_text(json.dumps(config))
    _rehash(folder)
    with pytest.raises(presets.PresetError, match="do not fit the architecture"):
        keras_gan_zoo.load_generator(folder)

    # A DCGAN's config with a GAN's weights.
    folder = _save(_small_dcgan(), tmp_path / "dcgan")
    other = _save(keras_gan_zoo.GAN(data_shape=(16, 16, 1), latent_dim=8), tmp_path / "gan")
    shutil.copy(Path(other) / "model.weights.h5", Path(folder) / "model.weights.h5")
    _rehash(folder)
    with pytest.raises(presets.PresetError, match="do not fit the architecture"):
        keras_gan_zoo.load_generator(folder)


@pytest.mark.neutral
def test_presets_never_run_code_from_their_files(tmp_path):
    latents = keras.Input((8,))
    images = keras.layers.Lambda(lambda z: keras.ops.tanh(z))(latents)
    generator = keras.Model(latents, keras.layers.Reshape((2, 2, 2))(images))
    gan = keras_gan_zoo.GAN(generator=generator, data_shape=(2, 2, 2))
    folder = _save(gan, tmp_path / "preset")
    with pytest.raises(presets.PresetError, match="Python code"):
        keras_gan_zoo.load_generator(folder)


@pytest.mark.neutral
def test_from_preset_checks_the_model_class(tmp_path):
    folder = _save(
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4), tmp_path / "p"
    )
    with pytest.raises(presets.PresetError, match="holds a GAN, which is not a DCGAN"):
        keras_gan_zoo.DCGAN.from_preset(folder)


@pytest.mark.neutral
def test_save_to_preset_refuses_bad_input(tmp_path):
    gan = _small_dcgan()
    folder = _save(gan, tmp_path / "preset")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        _save(gan, folder)
    with pytest.raises(ValueError, match="protocol"):
        _save(gan, tmp_path / "other", metrics={"fid": 12.3})
    kernel = gan.generator.layers[1].kernel
    kernel.assign(keras.ops.full(kernel.shape, float("nan")))
    with pytest.raises(ValueError, match="NaN"):
        _save(gan, folder, overwrite=True)
    # The refused save left the existing preset as it was.
    keras_gan_zoo.load_generator(folder).generate(2)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# === URL presets: never poisoned, never stuck, never stale (issue 16, item 3) ===


def _cached_metadata(cache, url):
    return Path(cache) / "presets" / preset_files._slug(url) / "metadata.json"


@pytest.mark.neutral
def test_an_error_page_served_as_metadata_is_never_cached(cache, served):
    gan = _small_dcgan()
    _save(gan, Path(served.root) / "p")
    url = f"{served.url}/p"
    served.pages["/p/metadata.json"] = (200, b"<!DOCTYPE html><html>503 Service Unavailable</html>")
    with pytest.raises(presets.PresetError, match="not keras_gan_zoo preset metadata") as error:
        keras_gan_zoo.load_generator(url)
    assert "error page" in str(error.value) and "Nothing was cached" in str(error.value)
    assert not [p for p in Path(cache).rglob("*") if p.is_file()]
    del served.pages["/p/metadata.json"]  # the server is back
    generator = keras_gan_zoo.load_generator(url)
    np.testing.assert_array_equal(generator.generate(2, seed=0), gan.generate(2, seed=0))


@pytest.mark.neutral
def test_an_error_page_cached_by_an_older_version_is_fetched_again(cache, served):
    _save(_small_dcgan(), Path(served.root) / "p")
    url = f"{served.url}/p"
    poisoned = _cached_metadata(cache, url)
    poisoned.parent.mkdir(parents=True)
    poisoned.write_bytes(b"<html>502 Bad Gateway</html>")
    Path(f"{poisoned}.sha256").write_text(downloads.sha256_of(poisoned))
    assert keras_gan_zoo.load_generator(url).latent_dim == 8
    assert json.loads(poisoned.read_text())["format"] == "keras_gan_zoo.preset"


@pytest.mark.neutral
def test_a_version_published_after_a_404_is_picked_up(cache, served):
    folder = Path(served.root) / "p"
    _save(_small_dcgan(seed=0), folder)
    (folder / "model.weights.h5").unlink()  # metadata and config uploaded, weights not yet
    url = f"{served.url}/p"
    with pytest.raises(downloads.DownloadError, match="HTTP 404"):
        keras_gan_zoo.load_generator(url)
    newer = _small_dcgan(seed=1)
    _save(newer, folder, overwrite=True)  # the server publishes a whole new version
    generator = keras_gan_zoo.load_generator(url)
    np.testing.assert_array_equal(generator.generate(2, seed=0), newer.generate(2, seed=0))


@pytest.mark.neutral
def test_refresh_picks_up_a_new_version_and_a_failed_refresh_keeps_the_cache(cache, served):
    folder = Path(served.root) / "p"
    url = f"{served.url}/p"
    older, newer = _small_dcgan(seed=0), _small_dcgan(seed=1)
    _save(older, folder)
    keras_gan_zoo.load_generator(url)
    _save(newer, folder, overwrite=True)
    # Without refresh the cache answers (and works offline) ...
    np.testing.assert_array_equal(
        keras_gan_zoo.load_generator(url).generate(2, seed=0), older.generate(2, seed=0)
    )
    # ... with it, the server's current version.
    np.testing.assert_array_equal(
        keras_gan_zoo.load_generator(url, refresh=True).generate(2, seed=0),
        newer.generate(2, seed=0),
    )
    assert (
        presets.read_metadata(url)["files"]
        == json.loads((folder / "metadata.json").read_text())["files"]
    )
    # The command line's --refresh reaches the loader.
    _save(older, folder, overwrite=True)
    grid = Path(served.root).parent / "refreshed.npy"
    cli.main(["sample", url, "--n", "2", "--seed", "0", "--refresh", "--out", str(grid)])
    np.testing.assert_array_equal(np.load(grid), older.generate(2, seed=0))
    _save(newer, folder, overwrite=True)
    keras_gan_zoo.load_generator(url, refresh=True)
    served.stop()
    with pytest.raises(downloads.DownloadError, match="offline"):
        keras_gan_zoo.load_generator(url, refresh=True)
    np.testing.assert_array_equal(
        keras_gan_zoo.load_generator(url).generate(2, seed=0), newer.generate(2, seed=0)
    )


@pytest.mark.neutral
def test_metadata_streamed_without_end_is_cut_off_and_not_cached(cache, served):
    _save(_small_dcgan(), Path(served.root) / "p")
    served.mode = "no_length"
    served.stream_bytes = 4 << 20
    with pytest.raises(downloads.DownloadError, match="more than the 1 MiB"):
        keras_gan_zoo.load_generator(f"{served.url}/p")
    assert not [p for p in Path(cache).rglob("*") if p.is_file()]


@pytest.mark.neutral
@pytest.mark.parametrize(
    "handle",
    [
        "hf://../../etc",
        "hf://owner/..",
        "hf://owner/repo/../../x",
        "hf://owner/./repo",
        "hf://owner//repo",
        "hf:///owner/repo",
        "hf://owner",
        "hf://own er/repo",
        "hf://owner/repo?x=1",
        "hf://owner/repo%2f..",
        "hf://owner/repo\\..",
    ],
)
def test_hugging_face_handles_are_plain_names(handle, cache, served, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", served.url)
    with pytest.raises(presets.PresetError, match="each part a plain name"):
        keras_gan_zoo.load_generator(handle)
    assert served.requests == []


@pytest.mark.neutral
def test_eight_threads_loading_one_url_all_succeed(cache, served):
    gan = _small_dcgan()
    _save(gan, Path(served.root) / "p")
    url = f"{served.url}/p"
    served.chunk_delay = 0.005  # so that the downloads overlap
    barrier = threading.Barrier(8)

    def load(_):
        barrier.wait()
        return keras_gan_zoo.load_generator(url).generate(2, seed=0)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        samples = list(pool.map(load, range(8)))
    for sample in samples:  # every thread read whole files
        np.testing.assert_array_equal(sample, gan.generate(2, seed=0))
    cached = sorted(p.name for p in Path(cache).rglob("*") if p.is_file())
    assert cached == ["config.json", "metadata.json", "metadata.json.sha256", "model.weights.h5"]
    folder = next(Path(cache).rglob("metadata.json")).parent
    assert _pins(folder) == _pins(Path(served.root) / "p")


# === Files that are not what a preset holds (issue 16's user mistakes) ===


@pytest.mark.neutral
@pytest.mark.parametrize(
    "config_bytes, message",
    [
        (b"<html>not json</html>", "not a Keras model config: it is not valid JSON"),
        (b"\xff\xfe\x00garbage", "not a Keras model config: it is not valid JSON"),
        (b"[1, 2, 3]", "not a Keras model config .* it holds a JSON list"),
        (b'{"class_name": "GAN"}', "not a Keras model config"),
        (b'{"class_name": "NoSuchModel", "config": {}}', "Cannot build the model"),
        (b'{"class_name": "GAN", "config": {"no_such_argument": 1}}', "Cannot build the model"),
        (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
    ],
)
def test_a_config_that_is_not_a_model_config_is_a_preset_error(tmp_path, config_bytes, message):
    folder = _save(
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4), tmp_path / "p"
    )
    (Path(folder) / "config.json").write_bytes(config_bytes)
    _rehash(folder)
    with pytest.raises(presets.PresetError, match=message):
        keras_gan_zoo.load_generator(folder)


@pytest.mark.neutral
def test_a_config_of_something_else_than_a_zoo_model_is_a_preset_error(tmp_path):
    folder = _save(
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4), tmp_path / "p"
    )
    config = keras.saving.serialize_keras_object(keras.layers.Dense(3))
    (Path(folder) / "config.json").write_text(json.dumps(config))
    _rehash(folder)
    with pytest.raises(presets.PresetError, match="describes a Dense, not a keras_gan_zoo model"):
        keras_gan_zoo.load_generator(folder)


@pytest.mark.neutral
def test_weights_that_are_not_hdf5_are_a_preset_error(tmp_path):
    folder = _save(
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4), tmp_path / "p"
    )
    (Path(folder) / "model.weights.h5").write_bytes(b"PK\x03\x04 a zip, not HDF5")
    _rehash(folder)
    with pytest.raises(presets.PresetError, match=r"model.weights.h5 is not a Keras weights file"):
        keras_gan_zoo.load_generator(folder)


@pytest.mark.neutral
@pytest.mark.parametrize(
    "change, message",
    [
        ({"format_version": "1"}, "format_version '1'; expected a whole number"),
        ({"format_version": 2}, "uses preset format 2"),
        ({"files": {"config.json": "abc", "model.weights.h5": "def"}}, "64 lowercase hex"),
        ({"files": ["config.json"]}, "must list the sha256"),
        ({"format": "something else"}, "not keras_gan_zoo preset metadata"),
    ],
)
def test_metadata_with_wrong_fields_is_a_preset_error(tmp_path, change, message):
    folder = _save(
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4), tmp_path / "p"
    )
    metadata_path = Path(folder) / "metadata.json"
    metadata_path.write_text(json.dumps({**json.loads(metadata_path.read_text()), **change}))
    with pytest.raises(presets.PresetError, match=message):
        presets.read_metadata(folder)
