"""The command line over the model registry: `models`, and train, sample, evaluate any model.

Run in this process (`cli.main`), on tiny runs: 16x16 digits, batches of 8,
2 steps. Backend-neutral: the command's plumbing is the same on every
backend (each model's numerics are its own tests' business), so it runs
once, on TensorFlow.
"""

import json
import os
import shutil

import keras
import numpy as np
import pytest
from conftest import cli_error

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.models import ModelEntry
from keras_gan_zoo.models import registry

pytestmark = [
    pytest.mark.neutral,
    pytest.mark.skipif(
        keras.config.backend() != "tensorflow", reason="backend-neutral; runs once, on TensorFlow"
    ),
]

# Two steps of batches of 8 on 16x16 digits, each model's own networks.
QUICK = (
    "--image-size", "16", "--batch-size", "8", "--latent-dim", "8", "--steps-per-epoch", "2",
    "--verbose", "0",
)  # fmt: skip


def _tiny_model_args(entry):
    """The entry's tiny configuration as --model-arg options, with one D step per G step.

    (WGAN, WGAN-GP and SNGAN take 5: the command's plumbing is under test,
    not the model, and every D step is traced again.) Only the arguments
    the command line can set: not the data shape, latent size or seed.
    """
    accepted = cli.model_arguments(entry.model_class)
    arguments = {"d_steps": 1, **entry.tiny_config()}
    options = []
    for name, value in arguments.items():
        if name in accepted:
            options += ["--model-arg", f"{name}={value!r}"]
    return options, {name: value for name, value in arguments.items() if name in accepted}


def _train(name, out, *options):
    cli.main(["train", name, *QUICK, "--out", str(out), *map(str, options)])


# === keras-gan-zoo models ===


def test_the_image_size_defaults_to_the_models(tmp_path, capsys):
    # SNGAN's networks need a side that is a multiple of 8: 28 would be refused.
    for name, side in (("sngan", 32), ("dcgan", 28)):
        entry = keras_gan_zoo.get_model_entry(name)
        args = cli._parser().parse_args(["train", name])
        cli._settings(args, None, tmp_path, entry)
        assert args.image_size == entry.image_size == side
        args = cli._parser().parse_args(["train", name, "--image-size", "64"])
        cli._settings(args, None, tmp_path, entry)
        assert args.image_size == 64
    cli.main(["models", "sngan"])
    assert "image size: 32" in capsys.readouterr().out


def test_models_lists_every_registered_model(capsys):
    cli.main(["models"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "CLASS", "DATA", "PAPER"]
    names = keras_gan_zoo.list_models()
    assert len(lines) == 1 + len(names)
    for line, name in zip(lines[1:], names):
        entry = keras_gan_zoo.get_model_entry(name)
        assert line.split()[:2] == [name, entry.model_class.__name__], line
        assert ", ".join(entry.data_kinds) in line and line.endswith(entry.paper), line

    cli.main(["models", "--json"])
    listed = json.loads(capsys.readouterr().out)
    assert [model["name"] for model in listed] == names
    wgan_gp = listed[names.index("wgan_gp")]
    assert wgan_gp["class"] == "WGANGP" and wgan_gp["data_kinds"] == ["images", "vectors"]
    assert wgan_gp["paper"].endswith("arXiv:1704.00028")
    # Its own arguments first, then those it passes on; what the command sets is left out.
    assert list(wgan_gp["model_args"])[:3] == ["gp_weight", "clip_value", "d_steps"]
    assert wgan_gp["model_args"]["gp_weight"] == 10.0
    assert not {"generator", "latent_dim", "seed", "data_shape"} & set(wgan_gp["model_args"])

    cli.main(["models", "dcgan"])
    described = capsys.readouterr().out
    assert described.startswith("dcgan (DCGAN): Deep convolutional GAN")
    assert "    filters=64\n" in described

    message = cli_error(capsys, "models", "stylegan")
    assert message.startswith("Unknown model 'stylegan'; the registered models are: gan, dcgan")


# === Every registered model trains, and its run folder samples ===


@pytest.mark.parametrize("name", keras_gan_zoo.list_models())
def test_every_registered_model_trains_from_the_command_line(tmp_path, name):
    out = tmp_path / "run"
    entry = keras_gan_zoo.get_model_entry(name)
    options, model_args = _tiny_model_args(entry)
    _train(name, out, *options, "--epochs", "1")
    record = json.loads((out / "run.json").read_text())
    assert (record["model"], record["class"]) == (name, entry.model_class.__name__)
    # As JSON keeps them: a tuple argument (InfoGAN's code sizes) comes back a list.
    assert record["model_args"] == json.loads(json.dumps(model_args))
    assert record["latent_dim"] == 8
    assert sorted(os.listdir(out / "checkpoints")) == ["epoch_0001.keras"]
    assert sorted(os.listdir(out / "samples")) == ["epoch_0001.png"]
    generator = keras.saving.load_model(out / "generator.keras")
    samples = keras_gan_zoo.generate(generator, 3, seed=0)
    assert samples.shape == (3, 16, 16, 1)
    assert np.all(np.isfinite(samples)) and samples.std() > 0


@pytest.fixture(scope="module")
def wgan_gp_run(tmp_path_factory):
    """One epoch of WGAN-GP with a penalty weight of 5 and a seed and batch size of its own.

    28x28, the size the MNIST classifier's features (for `evaluate`) take.
    """
    out = tmp_path_factory.mktemp("wgan_gp") / "run"
    _train("wgan_gp", out, *WGAN_GP_OPTIONS, "--epochs", "1")
    return out


WGAN_GP_OPTIONS = (
    "--image-size", "28", "--model-arg", "gp_weight=5", "--model-arg", "d_steps=1", "--seed", "3",
)  # fmt: skip


def test_sample_and_evaluate_a_run_folder_of_a_model_other_than_dcgan(
    wgan_gp_run, tmp_path, cache, capsys
):
    samples = tmp_path / "samples.npy"
    cli.main(["sample", str(wgan_gp_run), "--n", "6", "--out", str(samples)])
    assert f"Wrote 6 samples from {wgan_gp_run}" in capsys.readouterr().out
    drawn = np.load(samples)
    assert drawn.shape == (6, 28, 28, 1) and drawn.std() > 0

    reference = tmp_path / "reference.npy"
    noise = np.random.default_rng(0).integers(0, 256, (60, 28, 28, 1), dtype=np.uint8)
    np.save(reference, noise)
    results_file = tmp_path / "results.json"
    command = ["evaluate", wgan_gp_run, "--metric", "kid", "--reference", reference]
    command += ["--features", "mnist", "--n", "40", "--batch-size", "20", "--json", results_file]
    cli.main([str(argument) for argument in command])
    results = json.loads(results_file.read_text())
    assert results["n"] == 40 and results["n_reference"] == 60
    assert np.isfinite(results["kid"])


# === --resume rebuilds the run's model and data from the run folder ===


def _state(checkpoints):
    model, epoch = GANCheckpoint.restore(checkpoints)
    optimizers = [*model.d_optimizer.variables, *model.g_optimizer.variables]
    return model, epoch, [keras.ops.convert_to_numpy(v) for v in model.variables + optimizers]


def test_resume_takes_the_model_and_data_settings_from_the_run(wgan_gp_run, tmp_path):
    resumed = shutil.copytree(wgan_gp_run, tmp_path / "resumed")
    # Nothing but the model's name: gp_weight, seed, batch size and steps come from the run.
    cli.main(["train", "wgan_gp", "--out", str(resumed), "--resume", "--epochs", "2"])
    straight = tmp_path / "straight"
    _train("wgan_gp", straight, *WGAN_GP_OPTIONS, "--epochs", "2")
    model, epoch, state = _state(resumed / "checkpoints")
    assert epoch == 2 and model.gp_weight == 5.0 and model.seed == 3
    assert int(model.g_optimizer.iterations) == 2 * 2  # --steps-per-epoch 2, recorded
    _, _, expected = _state(straight / "checkpoints")
    assert len(state) == len(expected)
    for resumed_value, expected_value in zip(state, expected):
        np.testing.assert_allclose(resumed_value, expected_value, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            ("--model-arg", "gp_weight=7"),
            "The run in {run} has gp_weight=5.0, not 7; --resume continues the run's model: "
            "leave out --model-arg gp_weight, or start a new run",
        ),
        (
            ("--latent-dim", "16"),
            "The run in {run} has latent_dim=8, not 16; --resume continues the run's model: "
            "leave out --latent-dim, or start a new run",
        ),
        (
            ("--batch-size", "64"),
            "The run in {run} was started with --batch-size 8; --resume continues it with its "
            "own settings: leave out --batch-size, or give 8",
        ),
        (
            ("--seed", "0"),
            "The run in {run} was started with --seed 3; --resume continues it with its own "
            "settings: leave out --seed, or give 3",
        ),
    ],
)
def test_resume_refuses_settings_that_differ_from_the_run(wgan_gp_run, capsys, options, expected):
    message = cli_error(capsys, "train", "wgan_gp", "--out", wgan_gp_run, "--resume", *options)
    assert message == expected.format(run=wgan_gp_run)
    assert sorted(os.listdir(wgan_gp_run / "checkpoints")) == ["epoch_0001.keras"]


def test_resume_under_another_model_name_names_the_runs_model(wgan_gp_run, capsys):
    message = cli_error(capsys, "train", "dcgan", "--out", wgan_gp_run, "--resume")
    assert message == (
        f"The run in {wgan_gp_run} trains wgan_gp (WGANGP), not dcgan; resume it with "
        "`keras-gan-zoo train wgan_gp --resume`"
    )


# === A user's mistakes with models and their arguments, in one line ===


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ("train", "stylegan"),
            "Unknown model 'stylegan'; the registered models are: gan, dcgan, wgan, wgan_gp,",
        ),
        (
            ("train", "wgan_gp", "--model-arg", "gp_wieght=5"),
            "--model-arg gp_wieght: wgan_gp (WGANGP) takes no argument 'gp_wieght'; it takes "
            "gp_weight, clip_value, d_steps, data_range, label_smoothing, packing",
        ),
        (
            ("train", "wgan_gp", "--model-arg", "gp_weight"),
            "--model-arg gp_weight: expected NAME=VALUE, e.g. --model-arg d_steps=2",
        ),
        (
            ("train", "gan", "--model-arg", "latent_dim=8"),
            "--model-arg latent_dim: set it with --latent-dim",
        ),
        (
            ("train", "gan", "--model-arg", "generator=None"),
            "--model-arg generator: the model builds its own networks for the dataset",
        ),
        (
            ("train", "gan", "--model-arg", "d_steps=2", "--model-arg", "d_steps=3"),
            "--model-arg d_steps is given twice",
        ),
        (
            ("train", "gan", "--model-arg", "packing={1, 2}"),
            "--model-arg packing={1, 2}: a set cannot be recorded in the run's run.json; give a "
            "number, a string, true/false, None, or a list or dict of those",
        ),
        (
            ("train", "gan", "--filters", "16"),
            "--filters sets dcgan's conv width; gan has none",
        ),
        (
            ("train", "dcgan", "--filters", "16", "--model-arg", "filters=8"),
            "--filters is short for --model-arg filters; give one of them",
        ),
    ],
)
def test_model_mistakes_are_answered_before_anything_loads(tmp_path, capsys, argv, expected):
    message = cli_error(capsys, *argv, "--out", tmp_path / "run")
    assert message.startswith(expected), message
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            # The constructor's own message, after the arguments that reached it.
            ("began", "--model-arg", "gamma=2"),
            "BEGAN cannot be built with gamma=2 for examples of shape (16, 16, 1): gamma must be "
            "in (0, 1], got 2.",
        ),
        (
            ("fgan", "--model-arg", "divergence=kl_divergence"),
            "FGAN cannot be built with divergence='kl_divergence' for examples of shape "
            "(16, 16, 1): ",
        ),
        (
            # WGAN-GP takes WGAN's clip_value and drops it: a resume would lose it.
            ("wgan_gp", "--model-arg", "clip_value=0.1"),
            "--model-arg clip_value: WGANGP takes it but does not keep it in its configuration, "
            "so it would be lost on --resume; leave it out",
        ),
    ],
)
def test_arguments_the_model_refuses_are_named(tmp_path, capsys, argv, expected):
    options = ("--image-size", "16", "--batch-size", "8", "--latent-dim", "8")
    message = cli_error(capsys, "train", *argv, *options, "--out", tmp_path / "run")
    assert message.startswith(expected), message
    assert not (tmp_path / "run").exists()


def test_a_model_for_vectors_only_refuses_an_image_dataset(tmp_path, capsys, monkeypatch):
    entry = ModelEntry(
        "ring_gan", keras_gan_zoo.GAN, "A GAN for 2D points.", "-", ("vectors",), dict
    )
    monkeypatch.setitem(registry._REGISTRY, "ring_gan", entry)
    out = tmp_path / "run"
    message = cli_error(capsys, "train", "ring_gan", *QUICK, "--epochs", "1", "--out", out)
    assert message == (
        "ring_gan trains on vectors, but --dataset gives images; `keras-gan-zoo models` lists "
        "each model's data kinds"
    )
    assert not out.exists()


def test_model_args_take_python_and_json_literals_and_bare_words():
    assert cli._literal("x", "5") == 5
    assert cli._literal("x", " 0.5 ") == 0.5
    assert cli._literal("x", "(0, 1)") == (0, 1)
    assert cli._literal("x", "[0, 1]") == [0, 1]
    assert cli._literal("x", "true") is True and cli._literal("x", "True") is True
    assert cli._literal("x", "null") is None and cli._literal("x", "None") is None
    assert cli._literal("x", "kl") == "kl" and cli._literal("x", "'kl'") == "kl"
    assert cli._literal("x", '{"a": 1}') == {"a": 1}
