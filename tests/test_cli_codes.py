"""The command line with a model that has latent codes (InfoGAN): traversals and fixed codes."""

import numpy as np
import pytest
from conftest import cli_error

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo.models.registry import get_model_entry
from keras_gan_zoo.utils import images

# Unmarked: saving and sampling a generator with codes is checked on every backend.


@pytest.fixture(scope="module")
def generator_file(tmp_path_factory):
    """The tiny InfoGAN's generator as a .keras file (c1: 4 categories; c2, c3 continuous)."""
    model = get_model_entry("infogan").build_tiny()
    path = tmp_path_factory.mktemp("infogan") / "generator.keras"
    model.save_generator(path)
    return path, model.sampler()


def test_traverse_writes_the_grid_of_the_sweep(tmp_path, generator_file):
    path, generator = generator_file
    out = tmp_path / "c1.png"
    cli.main(["sample", str(path), "--traverse", "c1", "--n", "8", "--seed", "2", "--out",
              str(out)])  # fmt: skip
    expected = tmp_path / "expected.png"
    images.save_image_grid(generator.traverse("c1", rows=2, seed=2), expected, columns=4)
    assert out.read_bytes() == expected.read_bytes()
    # A continuous code: 10 values from -2 to 2 per row, another code fixed.
    cli.main(
        ["sample", str(path), "--traverse", "c3", "--code", "c1=1", "--n", "20", "--out",
         str(tmp_path / "c3.npy")]
    )  # fmt: skip
    np.testing.assert_allclose(
        np.load(tmp_path / "c3.npy"),
        generator.traverse("c3", rows=2, seed=0, codes={"c1": 1}),
        atol=1e-6,
    )


def test_codes_fix_samples_and_interpolation_rows(tmp_path, generator_file):
    path, generator = generator_file
    cli.main(["sample", str(path), "--n", "3", "--code", "c1=2", "--code", "c2=-0.5", "--out",
              str(tmp_path / "fixed.npy")])  # fmt: skip
    np.testing.assert_allclose(
        np.load(tmp_path / "fixed.npy"),
        generator.generate(3, seed=0, codes={"c1": 2, "c2": -0.5}),
        atol=1e-6,
    )
    cli.main(["sample", str(path), "--n", "8", "--interpolate", "4", "--out",
              str(tmp_path / "rows.npy")])  # fmt: skip
    assert np.load(tmp_path / "rows.npy").shape == (8, 16, 16, 1)
    # Interpolation rows keep their codes along the row; fixed codes stay fixed.
    codes = cli._row_codes(generator, {"c2": 0.5}, (0, 0), 3, 4)
    assert sorted(codes) == ["c1", "c2", "c3"] and codes["c2"] == 0.5
    for name in ("c1", "c3"):
        rows = np.reshape(codes[name], (3, 4))
        assert np.all(rows == rows[:, :1]) and len(np.unique(rows[:, 0])) > 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--traverse", "c9"], "--traverse c9: Unknown latent code 'c9'"),
        (["--code", "c1=x"], "--code c1=x: c1 is categorical; give an integer category"),
        (["--code", "c7=1"], "has no code 'c7' (its codes: c1, c2, c3)"),
        (["--traverse", "c1", "--interpolate", "4"], "--traverse and --interpolate"),
    ],
)
def test_bad_code_arguments_are_named(tmp_path, generator_file, capsys, arguments, message):
    path, _ = generator_file
    error = cli_error(capsys, "sample", path, *arguments, "--out", tmp_path / "x.png")
    assert message in error


def test_the_infogan_preset_traverses_offline(tmp_path):
    # The shipped preset: c1 sweeps its 10 categories, one row per seed draw.
    out = tmp_path / "c1.png"
    cli.main(["sample", "infogan_mnist", "--traverse", "c1", "--n", "20", "--out", str(out)])
    generator = keras_gan_zoo.load_generator("infogan_mnist")
    assert generator.code_names == ["c1", "c2", "c3"]
    assert generator.metadata["latent_codes"] == {"categorical": [10], "continuous": 2}
    expected = tmp_path / "expected.png"
    images.save_image_grid(generator.traverse("c1", rows=2, seed=0), expected, columns=10)
    assert out.read_bytes() == expected.read_bytes()
