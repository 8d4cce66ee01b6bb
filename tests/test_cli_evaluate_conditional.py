"""`keras-gan-zoo evaluate` with the class-conditional metrics: fidelity, cas, intra_fid, parzen.

Each number the command writes equals its metric function's, called directly
with the same generator and arguments, and comes with its protocol; each
mistake (an unconditional generator, a folder without labels or without a
training split, images the bundled classifier cannot read) is one line.
Tiny MLP generators and a few dozen noise images keep every command to a few
seconds. The code under test is backend-neutral: it runs once, on TensorFlow.
"""

import gzip
import json
import struct

import keras
import numpy as np
import pytest
from conftest import cli_error

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo import metrics
from keras_gan_zoo import networks
from keras_gan_zoo.models.registry import get_model_entry

pytestmark = pytest.mark.neutral

SHAPE = (28, 28, 1)
CLASSES = 10
# 4 samples of each of the 10 classes, 2 batches.
FAST = ("--n", "40", "--batch-size", "20", "--seed", "3")


def _write_idx(path, array):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    with gzip.open(path, "wb") as file:
        file.write(header + array.astype(np.uint8).tobytes())


def _idx_folder(folder, splits=(("train", 60), ("t10k", 20)), labels=True, size=28):
    """Noise digits of 10 classes, every class in every split (MNIST's file names)."""
    folder.mkdir()
    rng = np.random.default_rng(0)
    for prefix, count in splits:
        images = rng.integers(0, 256, (count, size, size))
        _write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        if labels:
            _write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", np.arange(count) % CLASSES)
    return folder


def _unit(images):
    return images[..., None].astype("float32") / 127.5 - 1.0


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Both splits, 28x28 with labels: 60 training and 20 test images."""
    return _idx_folder(tmp_path_factory.mktemp("reference") / "mnist")


@pytest.fixture(scope="module")
def cgan_file(tmp_path_factory):
    """A tiny conditional generator of 28x28 digits (10 classes) as a .keras file."""
    model = keras_gan_zoo.CGAN(
        num_classes=CLASSES,
        data_shape=SHAPE,
        latent_dim=4,
        generator=networks.cgan_mlp_generator(
            4, SHAPE, CLASSES, latent_units=8, label_units=4, joint_units=16
        ),
        discriminator=networks.cgan_mlp_discriminator(
            SHAPE, CLASSES, data_units=8, label_units=4, joint_units=8
        ),
        seed=0,
    )
    path = tmp_path_factory.mktemp("cgan") / "generator.keras"
    model.save_generator(path)
    return path


@pytest.fixture(scope="module")
def gan_file(tmp_path_factory):
    """A tiny unconditional generator of 28x28 images as a .keras file."""
    model = keras_gan_zoo.GAN(
        data_shape=SHAPE,
        latent_dim=4,
        generator=networks.mlp_generator(4, SHAPE, units=(8,)),
        discriminator=networks.mlp_discriminator(SHAPE, units=(8,)),
        seed=0,
    )
    path = tmp_path_factory.mktemp("gan") / "generator.keras"
    model.save_generator(path)
    return path


def _evaluate(tmp_path, source, reference, *metric_names, extra=FAST):
    out = tmp_path / "results.json"
    command = ["evaluate", source, "--reference", reference, *extra, "--json", out]
    for name in metric_names:
        command += ["--metric", name]
    cli.main([str(argument) for argument in command])
    return json.loads(out.read_text())


def _generator(path):
    return keras.saving.load_model(path)


def _same(results, metric, direct, protocol=None):
    """The command's JSON entries for one metric against its function's own result."""
    details = {key: value for key, value in direct.items() if key != "protocol"}
    _close(results[f"{metric}_details"], json.loads(json.dumps(cli._plain(details))))
    assert results[f"{metric}_protocol"] == (protocol or direct["protocol"])


def _close(written, expected):
    if isinstance(expected, dict):
        assert written.keys() == expected.keys()
        for key in expected:
            _close(written[key], expected[key])
    elif isinstance(expected, list):
        assert len(written) == len(expected)
        for item, expected_item in zip(written, expected):
            _close(item, expected_item)
    elif isinstance(expected, float):
        assert written == pytest.approx(expected, rel=1e-6, abs=1e-9)
    else:
        assert written == expected


def test_every_class_metric_and_fid_in_one_call_equal_the_functions(
    tmp_path, capsys, folder, cgan_file
):
    results = _evaluate(
        tmp_path,
        cgan_file,
        folder,
        "fid",
        "fidelity",
        "cas",
        "intra_fid",
        "parzen",
        extra=(*FAST, "--features", "mnist"),
    )
    printed = capsys.readouterr().out
    generator = _generator(cgan_file)
    train_images, train_labels = keras_gan_zoo.datasets.idx_arrays(folder, split="train")
    test_images, test_labels = keras_gan_zoo.datasets.idx_arrays(folder, split="test")
    common = {"seed": 3, "batch_size": 20}

    # The feature metrics are untouched: FID on the MNIST classifier's features.
    assert results["n"] == 40 and results["fid"] > 0
    assert "features mnist_classifier" in results["protocol"]

    fidelity = metrics.class_fidelity(generator, samples_per_class=4, **common)
    assert results["fidelity"] == fidelity["fidelity"]
    _same(results, "fidelity", fidelity)
    assert "4 samples per class (40 in all)" in results["fidelity_protocol"]

    cas = metrics.classification_accuracy_score(
        generator,
        _unit(test_images),
        test_labels,
        samples_per_class=4,
        real_images=_unit(train_images),
        real_labels=train_labels,
        **common,
    )
    assert results["cas"] == pytest.approx(cas["cas"], abs=1e-9)
    _same(results, "cas", cas)
    assert results["cas_details"]["n_real_train"] == 40  # as many real images as samples
    assert "real-data baseline: the same recipe on 40 real training images" in cas["protocol"]

    intra = metrics.intra_class_fid(
        generator, _unit(test_images), test_labels, samples_per_class=4, **common
    )
    assert results["intra_fid"] == pytest.approx(intra["intra_fid"], rel=1e-6)
    _same(results, "intra_fid", intra)

    # Parzen: --n samples, the test split, sigma chosen on the training images
    # (here all 60: the first 1,000 of the last 10,000).
    samples = generator.generate(40, seed=3, batch_size=20)
    parzen = metrics.parzen_log_likelihood(
        samples, _unit(test_images), _unit(train_images), batch_size=20
    )
    assert results["parzen"] == pytest.approx(parzen["log_likelihood"], rel=1e-9)
    assert results["parzen_protocol"].startswith(parzen["protocol"] + "; samples drawn with ")
    assert "training images 0 to 59 of 60" in results["parzen_protocol"]
    _same(results, "parzen", parzen, protocol=results["parzen_protocol"])

    # Every number is printed, each metric with its protocol line.
    for name in ("fid", "fidelity", "cas", "intra_fid", "parzen"):
        assert f" {name} " in printed, printed
    assert printed.count("  protocol ") == 5
    assert f"(real data: {results['cas_details']['real_data_accuracy']:.6g})" in printed
    assert "nats" in printed


def test_parzen_measures_an_unconditional_generator_without_labels(tmp_path, gan_file):
    unlabelled = _idx_folder(tmp_path / "unlabelled", labels=False)
    results = _evaluate(tmp_path, gan_file, unlabelled, "parzen")
    images = {
        split: keras_gan_zoo.datasets.read_idx(unlabelled / f"{prefix}-images-idx3-ubyte.gz")
        for split, prefix in (("train", "train"), ("test", "t10k"))
    }
    samples = _generator(gan_file).generate(40, seed=3, batch_size=20)
    direct = metrics.parzen_log_likelihood(
        samples, _unit(images["test"]), _unit(images["train"]), batch_size=20
    )
    assert results["parzen"] == pytest.approx(direct["log_likelihood"], rel=1e-9)
    assert results["parzen_details"]["standard_error"] == pytest.approx(direct["standard_error"])
    assert "classes drawn" not in results["parzen_protocol"]


def test_cas_without_a_training_split_has_no_baseline(tmp_path, cgan_file):
    test_only = _idx_folder(tmp_path / "test_only", splits=(("t10k", 20),))
    results = _evaluate(tmp_path, cgan_file, test_only, "cas")
    assert results["cas_details"]["real_data_accuracy"] is None
    assert results["cas_protocol"].endswith("no real-data baseline")


def test_a_generator_without_labels_is_refused_by_the_conditional_metrics(
    tmp_path, capsys, folder, gan_file
):
    def refused(*names):
        flags = [argument for name in names for argument in ("--metric", name)]
        return cli_error(capsys, "evaluate", gan_file, "--reference", folder, *FAST, *flags)

    assert refused("cas") == (
        f"cas needs a conditional generator, but {gan_file} is unconditional: it takes no "
        "class labels"
    )
    assert refused("fidelity", "parzen", "intra_fid").startswith(
        "fidelity and intra_fid need a conditional generator"
    )
    # InfoGAN's categorical code is no label: the message says what scores it.
    infogan = tmp_path / "infogan.keras"
    get_model_entry("infogan").build_tiny().save_generator(infogan)
    message = cli_error(capsys, "evaluate", infogan, "--metric", "fidelity", *FAST)
    assert message == (
        f"fidelity needs a conditional generator, but {infogan} is unconditional: it takes no "
        "class labels; its categorical codes are learned without labels (score them with "
        "keras_gan_zoo.metrics.code_accuracy)"
    )


def test_a_reference_the_class_metrics_cannot_read_is_one_line(tmp_path, capsys, cgan_file):
    def refused(reference, *names):
        flags = [argument for name in names for argument in ("--metric", name)]
        command = ["evaluate", cgan_file, *FAST, *flags]
        if reference is not None:
            command += ["--reference", reference]
        return cli_error(capsys, *command)

    unlabelled = _idx_folder(tmp_path / "unlabelled", labels=False)
    assert refused(unlabelled, "cas", "parzen") == (
        f"cas needs the class of every reference image, but --reference {unlabelled} has no "
        "labels file (t10k-labels-idx1-ubyte[.gz]) beside t10k-images-idx3-ubyte.gz"
    )
    assert refused(unlabelled, "intra_fid", "cas").startswith(
        "intra_fid and cas need the class of every reference image"
    )
    test_only = _idx_folder(tmp_path / "test_only", splits=(("t10k", 20),))
    assert refused(test_only, "parzen") == (
        f"parzen chooses its kernel width on training images, but --reference {test_only} "
        "holds no training split (train-images-idx3-ubyte[.gz]) beside its test split"
    )
    train_only = _idx_folder(tmp_path / "train_only", splits=(("train", 20),))
    assert refused(train_only, "intra_fid") == (
        f"intra_fid needs the test split of --reference {train_only}: it holds no "
        "t10k-images-idx3-ubyte[.gz]"
    )
    array = tmp_path / "digits.npy"
    np.save(array, np.zeros((20, 28, 28), np.uint8))
    assert refused(array, "cas") == (
        "cas needs --reference to be a folder of MNIST-format IDX files "
        f"(its test split, t10k-images-idx3-ubyte[.gz]); {array} is not one"
    )
    assert refused(None, "parzen", "cas") == (
        "parzen and cas need --reference: a folder of MNIST-format IDX files (its test split, "
        "t10k-images-idx3-ubyte[.gz])"
    )
    small = _idx_folder(tmp_path / "small", size=16)
    assert refused(small, "cas") == (
        f"--reference {small} holds 16x16 grayscale images, but {cgan_file} makes examples of "
        "shape (28, 28, 1); cas compares them"
    )
    twelve = _idx_folder(tmp_path / "twelve", splits=(("t10k", 24),))
    _write_idx(twelve / "t10k-labels-idx1-ubyte.gz", np.arange(24) % 12)
    assert refused(twelve, "intra_fid") == (
        f"--reference {twelve}: the test split's labels run to 11, but {cgan_file} has 10 "
        "classes (0 to 9)"
    )
    too_few = ["evaluate", cgan_file, "--metric", "intra_fid", "--reference", small, "--n", "19"]
    assert cli_error(capsys, *too_few) == (
        "--n 19 gives 1 sample to each of the 10 classes; intra_fid needs at least 2 of each "
        "(--n 20 or more)"
    )


def test_the_bundled_classifier_reads_28x28_digits_only(tmp_path, capsys):
    # The registry's tiny CGAN makes 16x16 images.
    path = tmp_path / "cgan16.keras"
    get_model_entry("cgan").build_tiny().save_generator(path)
    for metric, classifier in (("fidelity", "mnist"), ("intra_fid", "fashion_mnist")):
        message = cli_error(capsys, "evaluate", path, "--metric", metric, "--reference",
                            _idx_folder(tmp_path / metric, size=16), "--classifier", classifier,
                            *FAST)  # fmt: skip
        bundled = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}[classifier]
        assert message == (
            f"{metric} uses the bundled {bundled} classifier, which reads 28x28 grayscale images "
            f"(shape (28, 28, 1)); {path} makes examples of shape (16, 16, 1)"
        )


def test_sample_between_classes_writes_the_rows_of_interpolate_classes(tmp_path, capsys):
    path = tmp_path / "cgan16.keras"
    model = get_model_entry("cgan").build_tiny()
    model.save_generator(path)
    out = tmp_path / "between.npy"
    cli.main(["sample", str(path), "--between-classes", "0,2", "--interpolate", "4", "--n", "8",
              "--seed", "1", "--out", str(out)])  # fmt: skip
    expected = model.sampler().interpolate_classes(0, 2, steps=4, rows=2, seed=1)
    np.testing.assert_allclose(np.load(out), expected, atol=1e-6)
    assert cli_error(capsys, "sample", path, "--between-classes", "0,99", "--out", out) == (
        f"--between-classes 0,99: {path}'s classes are 0 to {model.num_classes - 1}"
    )
    assert cli_error(capsys, "sample", path, "--between-classes", "0", "--out", out) == (
        "--between-classes takes two classes as A,B (e.g. 3,8); got '0'"
    )


def test_the_class_metrics_use_the_classifier_the_preset_names():
    import argparse
    import types

    def chosen(metadata, flag=None):
        generator = types.SimpleNamespace(metadata=metadata)
        return cli._classifier_name(generator, argparse.Namespace(classifier=flag, source="p"))

    assert chosen({}) == "mnist"
    assert chosen({"classifier": "fashion_mnist"}) == "fashion_mnist"
    assert chosen({"classifier": "fashion_mnist"}, flag="mnist") == "mnist"
    with pytest.raises(cli.UsageError, match="names the classifier 'cifar10' in its metadata"):
        chosen({"classifier": "cifar10"})
