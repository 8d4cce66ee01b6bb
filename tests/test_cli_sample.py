"""`keras-gan-zoo sample`: its mistakes answered in one line, truncation, streaming to .npy.

In process (`cli.main`), with tiny generators saved as .keras files: a
subprocess costs about 10 s.
"""

import zipfile

import keras
import numpy as np
import pytest
from conftest import cli_error
from conftest import deadline

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo import sampling

pytestmark = pytest.mark.neutral


def _image_generator(latent_dim=4):
    latents = keras.Input((latent_dim,))
    images = keras.layers.Dense(4 * 4 * 1, activation="tanh")(latents)
    return keras.Model(latents, keras.layers.Reshape((4, 4, 1))(images))


def _conditional_generator(latent_dim=4, num_classes=3):
    # Output [latent part, class shift]: an embedding holds the shift k of class k.
    latents = keras.Input((latent_dim,))
    labels = keras.Input((), dtype="int32")
    shift = keras.layers.Embedding(num_classes, 1, name="shift")(labels)
    outputs = keras.layers.Concatenate()([keras.layers.Dense(1)(latents), shift])
    model = keras.Model([latents, labels], outputs)
    model.get_layer("shift").embeddings.assign(np.arange(num_classes, dtype="float32")[:, None])
    return model


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """Tiny .keras sources: an image Generator, a conditional one, and broken files."""
    folder = tmp_path_factory.mktemp("sources")
    keras_gan_zoo.Generator(_image_generator()).save(folder / "images.keras")
    conditional = keras_gan_zoo.Generator(_conditional_generator(), num_classes=3, data_range=None)
    conditional.save(folder / "conditional.keras")
    (folder / "garbage.keras").write_bytes(b"\x00not a zip archive\xff" * 50)
    with zipfile.ZipFile(folder / "no_config.keras", "w") as archive:
        archive.writestr("metadata.json", "{}")
    whole = (folder / "images.keras").read_bytes()
    (folder / "truncated.keras").write_bytes(whole[: len(whole) // 2])
    # A Keras file that holds no generator: an image classifier.
    pixels = keras.Input((4, 4, 1))
    scores = keras.layers.Dense(1)(keras.layers.Flatten()(pixels))
    keras.Model(pixels, scores).save(folder / "classifier.keras")
    return folder


MISTAKES = [
    (("--n", "0"), "--n must be a positive number of samples; got 0"),
    (("--n", "-5"), "--n must be a positive number of samples; got -5"),
    (("--batch-size", "0"), "--batch-size must be a positive number of samples; got 0"),
    (("--columns", "0"), "--columns must be a positive number of images per row; got 0"),
    (("--interpolate", "1"), "--interpolate is the number of images per row, both ends "),
    (("--truncation", "0"), "--truncation must be a positive finite number, e.g. 0.5; got 0.0"),
    (("--truncation", "-1"), "--truncation must be a positive finite number, e.g. 0.5; got -1.0"),
    (("--truncation", "nan"), "--truncation must be a positive finite number, e.g. 0.5; got nan"),
    (("--truncation", "inf"), "--truncation must be a positive finite number, e.g. 0.5; got inf"),
    (("--seed", "-1"), "--seed must be a non-negative integer; got -1"),
    (("--n", "1000000"), "--n 1000000 is too many images for one PNG grid (at most 10000); "),
]


@pytest.mark.parametrize(("options", "expected"), MISTAKES)
def test_sample_option_mistakes_are_one_line(sources, tmp_path, capsys, options, expected):
    out = tmp_path / "grid.png"
    message = cli_error(capsys, "sample", sources / "images.keras", "--out", out, *options)
    assert message.startswith(expected), message
    assert list(tmp_path.iterdir()) == []


def test_out_mistakes_are_one_line(sources, tmp_path, capsys):
    images = sources / "images.keras"
    missing = tmp_path / "no_such_folder" / "grid.png"
    message = cli_error(capsys, "sample", images, "--out", missing)
    assert message == f"--out {missing}: the folder {missing.parent} does not exist"
    message = cli_error(capsys, "sample", images, "--out", tmp_path / "grid.jpg")
    assert message == (
        "--out must end in .png (an image grid) or .npy (the raw samples); "
        f"got {tmp_path / 'grid.jpg'}"
    )
    (tmp_path / "folder.png").mkdir()
    message = cli_error(capsys, "sample", images, "--out", tmp_path / "folder.png")
    assert message == f"--out {tmp_path / 'folder.png'} is a folder; name a .png or .npy file"
    # A grid of a million images is refused before anything is drawn; an array is not.
    message = cli_error(capsys, "sample", images, "--n", 10**6, "--out", tmp_path / "g.png")
    assert message.endswith("write the samples as an array with --out FILE.npy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.png"]


def test_label_mistakes_are_one_line(sources, tmp_path, capsys):
    out = tmp_path / "x.npy"
    images = sources / "images.keras"
    conditional = sources / "conditional.keras"
    message = cli_error(capsys, "sample", images, "--label", 1, "--out", out)
    assert message == f"{images} is unconditional; it takes no --label"
    for label in (3, -1):
        message = cli_error(capsys, "sample", conditional, "--label", label, "--out", out)
        assert message == f"--label must be a class of {conditional}, 0 to 2; got {label}"
    cli.main(["sample", str(conditional), "--label", "2", "--n", "5", "--out", str(out)])
    np.testing.assert_allclose(np.load(out)[:, 1], 2.0)


def test_files_that_are_not_generators_are_one_line(sources, capsys):
    for name in ("garbage.keras", "truncated.keras"):
        message = cli_error(capsys, "sample", sources / name, "--out", "never.png")
        assert message == (
            f"{sources / name} is not a Keras file: a .keras file is a zip archive; this is not"
        )
    message = cli_error(capsys, "sample", sources / "no_config.keras", "--out", "never.png")
    assert message == (
        f"{sources / 'no_config.keras'} is not a Keras file: its zip archive holds no config.json"
    )
    message = cli_error(capsys, "sample", sources / "classifier.keras", "--out", "never.png")
    assert message.startswith(
        f"{sources / 'classifier.keras'} holds a Functional whose generator cannot be found: "
        "expected a GAN, a Generator, or a generator network taking (batch, latent_dim) latent "
        "vectors (its input shape is (None, 4, 4, 1))"
    ), message


def test_a_tiny_truncation_returns_at_once(tmp_path, capsys):
    # Issue 16, item 5: `keras-gan-zoo sample dcgan_mnist --truncation 1e-12` never returned.
    out = tmp_path / "near_the_mean.npy"
    with deadline(60):
        cli.main(["sample", "dcgan_mnist", "--truncation", "1e-12", "--n", "6", "--out", str(out)])
    samples = np.load(out)
    assert samples.shape == (6, 28, 28, 1)
    # Latents within 1e-12 of 0: six copies of one image.
    np.testing.assert_allclose(samples, np.repeat(samples[:1], 6, axis=0), atol=1e-5)


def test_npy_streams_to_disk_with_memory_bounded_by_batch_size(
    sources, tmp_path, monkeypatch, capsys
):
    generator = keras.saving.load_model(sources / "images.keras")
    expected = generator.generate(1000, seed=3, truncation=0.9, batch_size=64)
    # With no memory to spare, the samples cannot be held in memory (a grid
    # is refused), yet stream to a .npy file batch by batch.
    monkeypatch.setattr(sampling, "available_memory", lambda: 10_000)
    with pytest.raises(ValueError, match="more than the 1e-05 GB available"):
        generator.generate(1000, seed=3)
    out = tmp_path / "samples.npy"
    common = ["--n", "1000", "--seed", "3", "--truncation", "0.9", "--batch-size", "64"]
    cli.main(["sample", str(sources / "images.keras"), *common, "--out", str(out)])
    np.testing.assert_array_equal(np.load(out), expected)
    assert [p.name for p in tmp_path.iterdir()] == ["samples.npy"]  # no temporary file left
    message = cli_error(capsys, "sample", sources / "images.keras", *common, "--out", "x.png")
    assert message == (
        "1000 samples of shape (4, 4, 1) needs 6.4e-05 GB of memory for its float32 result, "
        "more than the 1e-05 GB available; ask for fewer, or write them to disk with --out "
        "FILE.npy."
    )


def test_interpolation_rows_are_the_same_for_any_batch_size(sources, tmp_path):
    conditional = str(sources / "conditional.keras")
    rows = {}
    for batch_size in ("3", "256"):
        out = tmp_path / f"rows_{batch_size}.npy"
        command = ["sample", conditional, "--n", "12", "--interpolate", "4", "--method", "lerp"]
        cli.main([*command, "--batch-size", batch_size, "--out", str(out)])
        rows[batch_size] = np.load(out)
    # (Forward passes over batches of other sizes may differ in the last bit.)
    np.testing.assert_allclose(rows["3"], rows["256"], atol=1e-6)
    paths = rows["3"].reshape(3, 4, 2)
    # One class per row (the seeded class of its first end), and a straight
    # line between the rows' ends drawn from seed 0.
    classes = paths[:, :, 1]
    np.testing.assert_allclose(classes, np.repeat(classes[:, :1], 4, axis=1), atol=1e-6)
    ends, end_labels = next(sampling.latent_batches(6, 4, 6, 0, num_classes=3))
    np.testing.assert_allclose(classes[:, 0], end_labels[0::2], atol=1e-6)
    generator = keras.saving.load_model(conditional)
    first = generator.generate(latents=ends[0::2], labels=end_labels[0::2])
    np.testing.assert_allclose(paths[:, 0], first, atol=1e-6)
