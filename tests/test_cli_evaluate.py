"""`keras-gan-zoo evaluate`: references of every kind, keyed by content, and each mistake one line.

Everything runs in this process (`cli.main`) with the bundled MNIST
classifier's features and a few hundred images, so each command takes about a
second. The code under test is backend-neutral: it runs once, on TensorFlow.
"""

import json
import struct

import numpy as np
import pytest
from conftest import cli_error

from keras_gan_zoo import cli
from keras_gan_zoo.utils import images as image_utils

pytestmark = pytest.mark.neutral

FAST = ("--features", "mnist", "--n", "200", "--batch-size", "100")


@pytest.fixture(scope="module")
def digits(mnist):
    """300 real MNIST digits, uint8 (300, 28, 28)."""
    return mnist[0][:300]


def _noise(count=300, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (count, 28, 28), dtype=np.uint8)


def _write_idx(folder, images):
    folder.mkdir(exist_ok=True)
    header = struct.pack(">BBBB", 0, 0, 0x08, 3) + struct.pack(">III", *images.shape)
    (folder / "t10k-images-idx3-ubyte").write_bytes(header + images.tobytes())


def _fid(tmp_path, reference, *extra):
    results_file = tmp_path / "results.json"
    command = ["evaluate", "dcgan_mnist", "--reference", reference, *FAST, *extra]
    cli.main([str(argument) for argument in command] + ["--json", str(results_file)])
    return json.loads(results_file.read_text())


def test_an_idx_folder_overwritten_in_place_gives_new_statistics(tmp_path, cache, digits):
    # Issue 16, item 2: the statistics were cached under the folder's path.
    folder = tmp_path / "reference"
    _write_idx(folder, digits)
    real = _fid(tmp_path, folder)["fid"]
    _write_idx(folder, _noise())
    overwritten = _fid(tmp_path, folder)["fid"]
    _write_idx(tmp_path / "copy", _noise())
    copy = _fid(tmp_path, tmp_path / "copy")["fid"]
    # On the retrained classifier's features: about 68 for the digits, 466 for noise.
    assert real < 150 and overwritten > 300, (real, overwritten)
    assert overwritten == pytest.approx(copy, rel=1e-9)


def test_an_npy_overwritten_in_place_gives_new_statistics(tmp_path, cache, digits):
    path = tmp_path / "reference.npy"
    np.save(path, digits[..., None])
    real = _fid(tmp_path, path)
    np.save(path, _noise()[..., None])
    overwritten = _fid(tmp_path, path)
    assert real["fid"] < 150 and overwritten["fid"] > 300, (real, overwritten)
    assert real["n_reference"] == overwritten["n_reference"] == 300


def test_an_image_folder_reference_equals_the_same_images_as_an_array(tmp_path, cache, digits):
    # Issue 16: an image-folder reference could not be evaluated from the CLI at all.
    folder = tmp_path / "pngs"
    for index, image in enumerate(digits[:150]):
        image_utils.write_png(folder / f"{index:03d}.png", image)
    np.save(tmp_path / "same.npy", digits[:150])
    from_folder = _fid(tmp_path, folder, "--metric", "fid", "--metric", "kid")
    from_array = _fid(tmp_path, tmp_path / "same.npy", "--metric", "fid", "--metric", "kid")
    assert from_folder["n_reference"] == 150  # no partial batch dropped
    assert from_folder["fid"] == pytest.approx(from_array["fid"], rel=1e-5)
    assert from_folder["kid"] == pytest.approx(from_array["kid"], rel=1e-4)
    (folder / "000.png").write_bytes((folder / "149.png").read_bytes())
    assert _fid(tmp_path, folder)["fid"] != pytest.approx(from_folder["fid"], rel=1e-6)


def test_a_float_reference_in_0_1_is_refused(tmp_path, capsys, digits):
    # Issue 16, item 7: MNIST as [0, 1] floats gave FID 752 instead of 69, silently.
    path = tmp_path / "unit.npy"
    np.save(path, digits[..., None].astype(np.float32) / 255)
    message = cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", path, *FAST)
    assert message == (
        f"The images in {path} are floats spanning [0, 1]: most likely [0, 1] pixels, which "
        "would be read as [-1, 1] values and give a wrong FID. Pass uint8 pixels 0..255 "
        "(np.round(x * 255).astype(np.uint8)) or floats in [-1, 1] (x * 2 - 1)."
    )


def test_reference_arrays_are_checked_as_training_data_is(tmp_path, capsys, digits):
    def refused(array):
        path = tmp_path / "reference.npy"
        np.save(path, array)
        return cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", path, *FAST)

    in_file = f"The images in {tmp_path / 'reference.npy'}"
    assert refused(digits.astype(np.float32) * 2) == (
        f"{in_file} are floats spanning [0, 510], outside [-1, 1]. Pass uint8 pixels 0..255, "
        "or floats in [-1, 1] (the generators' range)."
    )
    with_nan = digits.astype(np.float32) / 127.5 - 1
    with_nan[3, 4, 5] = np.nan
    assert refused(with_nan) == f"{in_file} contain NaN or infinite values."
    assert refused(digits.astype(np.int64) * 2) == (
        f"{in_file} are integers spanning [0, 510]; integer images must be pixels 0..255."
    )
    assert refused(digits[:0]) == f"{in_file} are empty: shape (0, 28, 28, 1)."
    assert refused(digits[0]) == (
        f"{in_file} must be an array of shape (N, H, W) or (N, H, W, C); got shape (28, 28)."
    )
    assert refused(digits > 0) == (
        f"{in_file} must be integer (uint8 0..255) or float images; got dtype bool."
    )
    assert refused(np.zeros((300, 32, 32, 3), np.uint8)) == (
        "The mnist_classifier features take images of shape (28, 28, 1), but the reference "
        "images have shape (32, 32, 3)."
    )


def test_an_int64_reference_of_pixels_equals_uint8(tmp_path, cache, digits):
    np.save(tmp_path / "wide.npy", digits.astype(np.int64))
    np.save(tmp_path / "narrow.npy", digits)
    wide = _fid(tmp_path, tmp_path / "wide.npy")["fid"]
    assert wide == pytest.approx(_fid(tmp_path, tmp_path / "narrow.npy")["fid"], rel=1e-9)


def test_a_bad_npy_file_is_one_line(tmp_path, capsys):
    def refused(path):
        return cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", path, *FAST)

    objects = tmp_path / "objects.npy"
    np.save(objects, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    assert refused(objects) == (
        f"--reference {objects} holds Python objects, which are never unpickled; expected a "
        "numeric image array (uint8 0..255 or floats in [-1, 1])"
    )
    pickled = tmp_path / "pickled.npy"
    pickled.write_bytes(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01.")
    assert refused(pickled) == (
        f"--reference {pickled} is not an .npy file (it does not start with NumPy's magic "
        "bytes); save the images with numpy.save"
    )
    truncated = tmp_path / "truncated.npy"
    np.save(truncated, _noise())
    truncated.write_bytes(truncated.read_bytes()[:1000])
    assert refused(truncated).startswith(f"--reference {truncated} is truncated or corrupt (")
    assert (
        refused(tmp_path / "missing.npy")
        == f"--reference {tmp_path / 'missing.npy'} does not exist"
    )


def test_a_bad_statistics_file_is_one_line(tmp_path, capsys):
    def refused(path, *extra):
        return cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", path, *FAST, *extra)

    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive")
    assert refused(corrupt).startswith(f"{corrupt} is not a readable .npz statistics file (")
    wrong_keys = tmp_path / "wrong_keys.npz"
    np.savez(wrong_keys, mean=np.zeros(128))
    assert (
        refused(wrong_keys) == f"{wrong_keys} is not a statistics file: it lacks ['mu', 'sigma']."
    )
    wrong_shapes = tmp_path / "wrong_shapes.npz"
    np.savez(wrong_shapes, mu=np.zeros(128), sigma=np.eye(64))
    assert refused(wrong_shapes) == (
        f"{wrong_shapes}: expected mu of shape (d,) and sigma of shape (d, d) with 1 <= d <= "
        "16384; got (128,) and (64, 64)."
    )
    inception_sized = tmp_path / "inception.npz"
    np.savez(inception_sized, mu=np.zeros(2048), sigma=np.eye(2048))
    assert refused(inception_sized) == (
        f"{inception_sized} holds statistics of 2048-dimensional features, but the "
        "mnist_classifier features have 128 dimensions: they were computed with other features."
    )
    assert refused(inception_sized, "--metric", "kid") == (
        f"--reference {inception_sized} is a statistics file, enough for FID only; --metric kid "
        "needs reference images (an .npy array or a folder)"
    )
    assert refused(inception_sized, "--n-reference", "100") == (
        f"--n-reference selects reference images, but {inception_sized} holds the statistics "
        "of a fixed set"
    )
    assert (
        refused(tmp_path / "missing.npz")
        == f"--reference {tmp_path / 'missing.npz'} does not exist"
    )


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("--n", "0"), "--n must be at least 1; got 0"),
        (("--n", "-5"), "--n must be at least 1; got -5"),
        (("--batch-size", "0"), "--batch-size must be at least 1; got 0"),
        (("--n-reference", "0"), "--n-reference must be at least 1; got 0"),
        (("--seed", "-1"), "--seed must be at least 0; got -1"),
        (("--n", "1"), "FID needs at least 2 samples; n=1."),
        (("--n", "5", "--metric", "is"), "The Inception Score needs at least 10 samples; n=5."),
        (
            ("--features", "inception", "--mode", "bicubic"),
            "--mode 'bicubic' is not an Inception preprocessing; choose from tf_legacy, "
            "pytorch_fid, clean",
        ),
    ],
)
def test_a_bad_number_is_one_line(tmp_path, capsys, digits, arguments, expected):
    np.save(tmp_path / "reference.npy", digits)
    command = ["evaluate", "dcgan_mnist", "--reference", tmp_path / "reference.npy", *FAST]
    assert cli_error(capsys, *command, *arguments) == expected


def test_bad_paths_are_one_line_and_checked_before_the_work(tmp_path, capsys, digits):
    np.save(tmp_path / "reference.npy", digits)
    command = ["evaluate", "dcgan_mnist", "--reference", tmp_path / "reference.npy", *FAST]
    missing_folder = tmp_path / "no_such_folder"
    assert cli_error(capsys, *command, "--json", missing_folder / "results.json") == (
        f"--json {missing_folder / 'results.json'}: the folder {missing_folder} does not exist"
    )
    assert cli_error(capsys, *command, "--json", tmp_path) == (
        f"--json {tmp_path} is a folder; name a file to write"
    )
    assert cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", missing_folder, *FAST) == (
        f"Dataset path {missing_folder} does not exist."
    )
    text = tmp_path / "notes.txt"
    text.write_text("not images")
    assert cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", text, *FAST) == (
        f"--reference {text} is neither an .npz statistics file, an .npy image array nor a "
        "folder of IDX files or images"
    )
    assert cli_error(capsys, "evaluate", "dcgan_mnist", *FAST) == (
        "--reference is needed for every metric but is"
    )
    assert not (tmp_path / "results.json").exists()
