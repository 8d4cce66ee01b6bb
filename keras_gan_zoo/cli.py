"""The `keras-gan-zoo` command: train a model, sample a grid, list the models and presets, evaluate.

    keras-gan-zoo models
    keras-gan-zoo train dcgan --dataset digits --epochs 30 --out runs/dcgan_digits
    keras-gan-zoo train wgan_gp --dataset digits --model-arg gp_weight=5 --epochs 5
    keras-gan-zoo sample runs/dcgan_digits --n 64 --out grid.png
    keras-gan-zoo sample dcgan_mnist --n 64 --out grid.png
    keras-gan-zoo presets
    keras-gan-zoo evaluate dcgan_mnist --metric fid --metric kid \
        --reference ../shared/data/mnist --features mnist --n 10000
    keras-gan-zoo evaluate runs/cgan_mnist --metric fidelity --metric cas \
        --metric intra_fid --metric parzen --reference path/to/mnist  # its 4 IDX files

The Keras backend comes from `--backend` or the KERAS_BACKEND variable. Keras
fixes its backend when it is first imported, so a `--backend` that differs from
the one already loaded restarts the command in a fresh process with
KERAS_BACKEND set.

A user's mistake (a missing file, a bad value, a corrupt download) is
answered in one place, `main`: one line `keras-gan-zoo: error: ...` on
stderr and exit status 2; `--debug` shows the traceback and the frameworks'
logs instead. Framework log lines are kept off the terminal otherwise.
"""

import argparse
import inspect
import os
import re
import sys

EXIT_USER_ERROR = 2  # argparse's status for a bad command line, and ours for every user error


class UsageError(Exception):
    """A mistake in what the user asked the command to do; printed as one line."""


def _user_errors():
    """Exception types that report a user's mistake (bad input, files, downloads)."""
    import tensorflow as tf

    from keras_gan_zoo.engine import NonFiniteLossError

    # ValueError covers PresetError and IntegrityError; OSError covers
    # DownloadError, FIDWeightsNotFound and missing or unreadable files;
    # tf.data (the input pipeline on every backend) reports a file it cannot
    # decode as an InvalidArgumentError that names the file.
    return (UsageError, ValueError, OSError, NonFiniteLossError, tf.errors.InvalidArgumentError)


# The train options a run records in its run.json, with the defaults a new
# run takes; --resume takes the recorded values instead (see `_settings`).
TRAIN_DEFAULTS = {
    "dataset": "digits",
    "image_size": 28,
    "channels": None,
    "batch_size": 64,
    "steps_per_epoch": None,
    "seed": 0,
    "split": None,
}
RUN_FILE = "run.json"
_REQUIRED = inspect.Parameter.empty  # a constructor argument without a default
# Every --dataset source (digits, image folders, IDX folders, tensorflow-datasets
# images) yields images; a model's `data_kinds` must include them.
DATASET_KIND = "images"
# Constructor arguments that the command line sets itself, and why --model-arg cannot.
_SET_ELSEWHERE = {
    "generator": "the model builds its own networks for the dataset",
    "discriminator": "the model builds its own networks for the dataset",
    "encoder": "the model builds its own networks for the dataset",
    "decoder": "the model builds its own networks for the dataset",
    "category_discriminator": "the model builds its own networks for the dataset",
    "data_shape": "it is the dataset's example shape",
    "image_shape": "it is the dataset's example shape",
    "latent_dim": "set it with --latent-dim",
    "seed": "set it with --seed",
    "tricks": "tricks are Python objects; give them in Python (tricks=[...])",
}

_REFRESH_HELP = "for a URL preset: ask the server for its current version, not the cached one"
# `evaluate`'s metrics: on features of samples and reference images
# (`metrics.evaluate`), and on class labels (each its own function).
_FEATURE_METRICS = ("fid", "kid", "is", "pr", "dc")
_CLASS_METRICS = ("fidelity", "cas", "intra_fid", "parzen")


def _parser():
    import keras_gan_zoo

    parser = argparse.ArgumentParser(prog="keras-gan-zoo", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"), default=None)
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on an error, show the Python traceback; keep the frameworks' log lines",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    models = commands.add_parser(
        "models",
        help="list the registered models: what `train` trains",
        description="Lists the registered models (name, class, data kinds, paper); with a NAME, "
        "describes that model and the constructor arguments `train --model-arg` can set, with "
        "their defaults.",
    )
    models.add_argument("name", nargs="?", default=None, help="describe this model only")
    models.add_argument(
        "--json", action="store_true", help="print JSON (a list of models) instead of a table"
    )

    train = commands.add_parser(
        "train",
        help="train a model, writing sample grids and checkpoints",
        description="Trains a registered model (`keras-gan-zoo models` lists them) with its own "
        "defaults: its networks built for the dataset's example shape, its paper's optimizers. "
        "A new run records its settings in OUT/run.json; --resume continues the run with them "
        "(the model itself comes from the newest checkpoint), so a resumed run sees the same "
        "batches as one that was never stopped.",
        epilog="Options marked (run) default to the run's recorded value on --resume, and a "
        "different value there is an error, except for --dataset (the same data, moved).",
    )
    train.add_argument(
        "model",
        metavar="MODEL",
        help=f"a registered model: {', '.join(keras_gan_zoo.list_models())}",
    )
    train.add_argument(
        "--dataset",
        default=None,
        help="'digits' (bundled, offline; the default), a tensorflow-datasets name, an image "
        "folder, or a folder of MNIST-format IDX files. (run)",
    )
    train.add_argument(
        "--split",
        choices=("train", "test"),
        default=None,
        help="for a folder of IDX files: which split to train on (default: the training split "
        "when the folder has both, as MNIST is distributed). (run)",
    )
    train.add_argument(
        "--image-size",
        type=_positive_int,
        default=None,
        help=f"square side of the images (default: the model's, {TRAIN_DEFAULTS['image_size']} "
        "for most; `keras-gan-zoo models NAME` shows it). (run)",
    )
    train.add_argument(
        "--channels", type=int, choices=(1, 3), help="for image folders: 1 or 3 (default 3). (run)"
    )
    train.add_argument(
        "--epochs", type=_positive_int, default=30, help="train until this many epochs are done"
    )
    train.add_argument(
        "--batch-size",
        type=_positive_int,
        default=None,
        help=f"examples per step (default {TRAIN_DEFAULTS['batch_size']}). (run)",
    )
    train.add_argument(
        "--steps-per-epoch",
        type=_positive_int,
        default=None,
        metavar="N",
        help="train on the first N batches of each epoch's shuffled order only (default: all); "
        "for quick checks. (run)",
    )
    train.add_argument(
        "--latent-dim",
        type=_positive_int,
        default=None,
        help="length of the noise vector (default: the model's own, 100 for most). (run)",
    )
    train.add_argument(
        "--model-arg",
        action="append",
        default=None,
        metavar="NAME=VALUE",
        help="a constructor argument of the model, e.g. gp_weight=5, divergence=kl, "
        "data_range=(0,1); repeat for several. VALUE is a Python or JSON literal (a bare word "
        "is a string). `keras-gan-zoo models MODEL` lists the arguments and their defaults. (run)",
    )
    train.add_argument(
        "--filters",
        type=_positive_int,
        default=None,
        help="dcgan: width of D's first conv, doubling with depth (default 64); short for "
        "--model-arg filters=N. (run)",
    )
    train.add_argument(
        "--seed",
        type=_seed,
        default=None,
        help=f"seeds the model, the data order and the weights (default "
        f"{TRAIN_DEFAULTS['seed']}). (run)",
    )
    train.add_argument(
        "--out",
        default="runs/{model}_{dataset}",
        help="the run's folder (run.json, checkpoints/, samples/, generator.keras), owned by one "
        "run (default runs/{model}_{dataset})",
    )
    train.add_argument(
        "--sample-every", type=_positive_int, default=1, help="write a grid every N epochs"
    )
    start = train.add_mutually_exclusive_group()
    start.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --out from its newest checkpoint, with the settings in its "
        "run.json",
    )
    start.add_argument(
        "--overwrite",
        action="store_true",
        help="start a new run in --out, deleting the old run's checkpoints, samples and generator",
    )
    train.add_argument("--verbose", type=int, default=1, choices=(0, 1, 2))

    sample = commands.add_parser(
        "sample", help="write a PNG grid of samples, or stream any number to a .npy file"
    )
    sample.add_argument(
        "source",
        help="a preset (built-in name, preset folder, https:// or file:// URL, hf:// handle), "
        "a run folder of `train` (its newest checkpoint), a checkpoint folder, or a GAN or "
        "generator .keras file",
    )
    sample.add_argument(
        "--n",
        type=int,
        default=64,
        help="number of samples (a PNG grid holds at most 10000; a .npy file any number)",
    )
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--columns", type=int, default=None)
    sample.add_argument(
        "--out", default="grid.png", help="a PNG grid, or a .npy file of the raw samples"
    )
    sample.add_argument("--batch-size", type=int, default=256, help="samples per forward pass")
    sample.add_argument(
        "--truncation",
        type=float,
        default=None,
        help="truncation trick: latents from a normal truncated to [-T, T], e.g. 0.5",
    )
    sample.add_argument("--label", type=int, default=None, help="class, for conditional models")
    sample.add_argument(
        "--interpolate",
        type=int,
        default=None,
        metavar="STEPS",
        help="rows of latent interpolations, STEPS images each (n // STEPS rows)",
    )
    sample.add_argument("--method", choices=("slerp", "lerp"), default="slerp")
    sample.add_argument(
        "--between-classes",
        default=None,
        metavar="A,B",
        help="rows that morph class A into class B, a latent vector fixed per row (a "
        "conditional model; --interpolate STEPS images per row, default 8)",
    )
    sample.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fix a latent code of a model with codes (InfoGAN: c1=3, c2=0.5); repeatable",
    )
    sample.add_argument(
        "--traverse",
        default=None,
        metavar="CODE",
        help="rows in which CODE is swept and the rest fixed (n // steps rows): every "
        "category of a categorical code, 10 values from -2 to 2 of a continuous one",
    )
    sample.add_argument("--refresh", action="store_true", help=_REFRESH_HELP)

    commands.add_parser("presets", help="list the built-in presets")

    encode = commands.add_parser(
        "encode",
        help="encode images with a model's encoder (BiGAN, ALI, adversarial autoencoders)",
        description="Writes the codes of images, as the encoder of a preset, run folder or "
        ".keras file gives them, to an .npy file (n, code_dim). IMAGES is an .npy array (floats "
        "in the model's range, or uint8 pixels, scaled) or a folder of MNIST-format IDX files.",
    )
    encode.add_argument("source", help="a preset, run folder or .keras file, as for `sample`")
    encode.add_argument("images", help="an .npy array of images, or a folder of IDX files")
    encode.add_argument("--out", default="codes.npy", help="the .npy file of the codes")
    encode.add_argument(
        "--classes",
        default=None,
        metavar="FILE.npy",
        help="also write each image's category (a model with a categorical code: a "
        "semi-supervised or clustering adversarial autoencoder)",
    )
    encode.add_argument(
        "--split",
        choices=("train", "test"),
        default=None,
        help="for an IDX folder with both splits: which (default: train)",
    )
    encode.add_argument("--batch-size", type=int, default=256, help="images per forward pass")
    encode.add_argument("--refresh", action="store_true", help=_REFRESH_HELP)

    evaluate = commands.add_parser(
        "evaluate",
        help="FID, KID, IS, precision/recall, density/coverage; class fidelity, CAS, intra-FID, "
        "Parzen log-likelihood",
        description="Measures a generator. Feature metrics (fid, kid, is, pr, dc) compare the "
        "features of --n samples with those of --reference images. Class-conditional metrics "
        "read a folder of MNIST-format IDX files with labels: fidelity (how often the bundled "
        "MNIST classifier labels a sample with its class; no reference), cas (Classification "
        "Accuracy Score: a classifier trained on samples, tested on the folder's test split, "
        "beside the same classifier trained on its training split), intra_fid (FID within "
        "each class against the labelled test split, on the MNIST classifier's features) and "
        "parzen (the Parzen-window log-likelihood of the test split, sigma chosen on training "
        "images; any generator). Every number is printed with its protocol.",
        epilog="fidelity, cas and intra_fid need a conditional generator; fidelity and intra_fid "
        "read 28x28 grayscale digits. A folder holding both splits gives its training split to "
        "the feature metrics and its test split to cas, intra_fid and parzen.",
    )
    evaluate.add_argument("source", help="a preset, run folder or checkpoint, as for `sample`")
    evaluate.add_argument(
        "--metric",
        action="append",
        choices=(*_FEATURE_METRICS, *_CLASS_METRICS),
        help="repeat for several (default: fid)",
    )
    evaluate.add_argument(
        "--reference",
        default=None,
        help="reference images: an .npz statistics file (FID only), an .npy array (uint8 "
        "0..255 or floats in [-1, 1]), a folder of MNIST-format IDX files or of images (read "
        "at the generator's size), or a tensorflow-datasets name; cas, intra_fid and parzen "
        "need a folder of IDX files with its test split (t10k-*) and, for cas and intra_fid, "
        "labels; parzen also needs its training split (train-*)",
    )
    evaluate.add_argument(
        "--features",
        choices=("inception", "mnist"),
        default="inception",
        help="for fid, kid, is, pr, dc: the FID Inception network (needs its weights) or the "
        "bundled MNIST classifier (intra_fid always uses the MNIST classifier's features)",
    )
    evaluate.add_argument(
        "--classifier",
        choices=tuple(_CLASSIFIER_NAMES),
        default=None,
        help="the bundled classifier of fidelity and intra_fid: mnist (digits) or fashion_mnist "
        "(garments); default the one the preset names in its metadata, else mnist",
    )
    evaluate.add_argument(
        "--mode", default="tf_legacy", help="preprocessing for the Inception network"
    )
    evaluate.add_argument(
        "--n",
        type=int,
        default=10000,
        help="number of generated samples; fidelity, cas and intra_fid draw n // classes "
        "of each class",
    )
    evaluate.add_argument(
        "--n-reference", type=int, default=None, help="for fid, kid, pr, dc; default: all"
    )
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--batch-size", type=int, default=50)
    evaluate.add_argument(
        "--json",
        default=None,
        help="also write the results to this file (a class metric M as M, M_protocol and "
        "M_details, its function's other values)",
    )
    evaluate.add_argument("--refresh", action="store_true", help=_REFRESH_HELP)
    return parser


def _class_pair(text):
    """--between-classes "A,B" as (A, B), or None when not given."""
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) != 2 or not all(part.strip().isdigit() for part in parts):
        raise UsageError(f"--between-classes takes two classes as A,B (e.g. 3,8); got {text!r}")
    return tuple(int(part) for part in parts)


def _positive_int(text):
    """argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer; got {text!r}")
    return value


def _seed(text):
    """argparse type: a seed NumPy and Keras accept (0 to 2**32 - 1)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be an integer from 0 to 2**32 - 1; got {text!r}")
    return value


def _load_dataset(args, initial_epoch, labels=False):
    dataset = _load_images(args, initial_epoch, labels)
    if args.steps_per_epoch is None:
        return dataset
    # The first N batches of every epoch: each epoch still starts a fresh pass
    # (and bumps the dataset's epoch counter once), so a resumed run sees the
    # same batches as an uninterrupted one. fit(steps_per_epoch=N) would not:
    # it carries one iterator across epochs.
    limited = dataset.take(args.steps_per_epoch)
    limited.epoch_counter = dataset.epoch_counter
    return limited


def _load_images(args, initial_epoch, labels=False):
    """The training batches: images, or (images, labels) for a conditional model."""
    from keras_gan_zoo import datasets

    common = dict(batch_size=args.batch_size, seed=args.seed, initial_epoch=initial_epoch)
    size = (args.image_size, args.image_size)
    is_idx = os.path.isdir(args.dataset) and datasets.has_idx_images(args.dataset)
    if args.split is not None and not is_idx:
        raise UsageError(
            f"--split chooses between the training and test files of a folder of IDX files; "
            f"--dataset {args.dataset} is not one"
        )
    if labels and not (args.dataset == "digits" or is_idx):
        raise UsageError(
            f"{args.model} is conditional: it trains on class labels, which 'digits' and "
            f"folders of IDX files (with their label files) give; --dataset {args.dataset} "
            "gives images only"
        )
    if args.dataset == "digits":
        return datasets.load_digits(image_size=args.image_size, labels=labels, **common)
    if is_idx:
        return datasets.from_idx(args.dataset, split=args.split, labels=labels, **common)
    if os.path.isdir(args.dataset):
        return datasets.from_image_folder(
            args.dataset, image_size=size, channels=args.channels or 3, **common
        )
    _check_tfds_name(args.dataset)
    try:
        return datasets.from_tfds(args.dataset, image_size=size, **common)
    except ValueError as error:
        import tensorflow_datasets as tfds  # loaded by from_tfds already

        if not isinstance(error.__cause__, tfds.core.registered.DatasetNotFoundError):
            raise
        raise UsageError(f"{_NOT_A_DATASET.format(args.dataset)} ({error})") from error


_NOT_A_DATASET = (
    "--dataset {} is neither 'digits', an existing folder, nor a known tensorflow-datasets name"
)


def _check_tfds_name(name):
    """Refuses a --dataset that can only have meant a file or folder, before tfds loads."""
    from keras_gan_zoo import datasets

    if os.path.exists(name):
        raise UsageError(
            f"--dataset {name} is a file; pass the folder that holds the images or IDX files"
        )
    if not datasets._TFDS_NAME.fullmatch(name):
        raise UsageError(_NOT_A_DATASET.format(name) + " (no such folder)")


def model_arguments(model_class):
    """{name: default} of the constructor arguments `--model-arg` can set.

    The keyword arguments of the class's `__init__` and of the base classes it
    passes `**kwargs` on to (WGANGP -> WGAN -> GAN -> the engine), first
    definition winning, up to Keras's own classes (whose `name`, `dtype` and
    such are no model settings), less those the command line sets itself.
    A required argument's default is `inspect.Parameter.empty`.
    """
    keyword = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    found = {}
    for cls in model_class.__mro__:
        if cls.__module__.split(".")[0] in ("keras", "builtins"):
            break
        if "__init__" not in vars(cls):
            continue
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]  # no self
        for parameter in parameters:
            if parameter.kind in keyword:
                found.setdefault(parameter.name, parameter.default)
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
            break
    return {name: value for name, value in found.items() if name not in _SET_ELSEWHERE}


def _literal(name, text):
    """A --model-arg value: a Python or JSON literal, else the text itself as a string."""
    import ast
    import json

    text = text.strip()
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = {"true": True, "false": False, "null": None}.get(text, text)
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise UsageError(
            f"--model-arg {name}={text}: a {type(value).__name__} cannot be recorded in the run's "
            "run.json; give a number, a string, true/false, None, or a list or dict of those"
        ) from None
    return value


def _model_settings(args, entry):
    """The constructor arguments asked for on the command line, checked: ({name: value}, flags).

    `flags` names the option each came from (`--model-arg gamma`, `--filters`).
    """
    accepted = model_arguments(entry.model_class)
    settings, flags = {}, {}
    for text in args.model_arg or ():
        name, equals, value = text.partition("=")
        name = name.strip()
        if not equals or not name:
            raise UsageError(f"--model-arg {text}: expected NAME=VALUE, e.g. --model-arg d_steps=2")
        if name in _SET_ELSEWHERE:
            raise UsageError(f"--model-arg {name}: {_SET_ELSEWHERE[name]}")
        if name not in accepted:
            raise UsageError(
                f"--model-arg {name}: {entry.name} ({entry.model_class.__name__}) takes no "
                f"argument {name!r}; it takes {', '.join(accepted) or 'none'}"
            )
        if name in settings:
            raise UsageError(f"--model-arg {name} is given twice")
        settings[name], flags[name] = _literal(name, value), f"--model-arg {name}"
    if args.filters is not None:
        if "filters" not in accepted:
            with_filters = [
                f"{other}'s"
                for other in _registered_names()
                if "filters" in model_arguments(_entry(other).model_class)
            ]
            raise UsageError(
                f"--filters sets {' and '.join(with_filters)} conv width; {entry.name} has none"
            )
        if "filters" in settings:
            raise UsageError("--filters is short for --model-arg filters; give one of them")
        settings["filters"], flags["filters"] = args.filters, "--filters"
    return settings, flags


def _registered_names():
    import keras_gan_zoo

    return keras_gan_zoo.list_models()


def _entry(name):
    """The registry entry of `name`; an unknown name is a ValueError listing the registered ones."""
    import keras_gan_zoo

    return keras_gan_zoo.get_model_entry(name)


def _check_data_kind(entry):
    if DATASET_KIND not in entry.data_kinds:
        raise UsageError(
            f"{entry.name} trains on {' and '.join(entry.data_kinds)}, but --dataset gives "
            f"{DATASET_KIND}; `keras-gan-zoo models` lists each model's data kinds"
        )


def _build_model(entry, settings, data_shape, args):
    """The model for `data_shape` with the asked settings and its own defaults otherwise."""
    arguments = {"data_shape": data_shape, "seed": args.seed, **settings}
    if args.latent_dim is not None:
        arguments["latent_dim"] = args.latent_dim
    try:
        model = entry.model_class(**arguments)
    except (ValueError, TypeError) as error:
        if not settings:
            raise  # a ValueError is the data's (an image size the networks refuse)
        given = ", ".join(f"{name}={value!r}" for name, value in settings.items())
        raise UsageError(
            f"{entry.model_class.__name__} cannot be built with {given} for examples of shape "
            f"{data_shape}: {error}"
        ) from error
    # The checkpoints rebuild the model from its config: an argument missing
    # there would be lost on --resume.
    config = model.get_config()
    for name in settings:
        if name not in config:
            raise UsageError(
                f"--model-arg {name}: {entry.model_class.__name__} takes it but does not keep "
                "it in its configuration, so it would be lost on --resume; leave it out"
            )
    return model


def _same(first, second):
    """Equal as JSON values (tuples and lists alike, 1 == 1.0)."""
    import json

    return json.loads(json.dumps(first)) == json.loads(json.dumps(second))


def _check_resumed_model(model, entry, settings, flags, args, out):
    """Refuses a --resume whose command line asks for another model than the run's."""
    if type(model) is not entry.model_class:
        names = [n for n in _registered_names() if _entry(n).model_class is type(model)]
        name = names[0] if names else type(model).__name__
        raise UsageError(
            f"The run in {out} trains {name} ({type(model).__name__}), not {entry.name}; "
            f"resume it with `keras-gan-zoo train {name} --resume`"
        )
    config = model.get_config()
    asked = dict(settings)
    if args.latent_dim is not None:
        asked["latent_dim"], flags = args.latent_dim, {**flags, "latent_dim": "--latent-dim"}
    for name, value in asked.items():
        if not _same(config.get(name), value):
            raise UsageError(
                f"The run in {out} has {name}={config.get(name)!r}, not {value!r}; --resume "
                f"continues the run's model: leave out {flags[name]}, or start a new run"
            )


def _read_run_file(out):
    """The settings recorded in out/run.json, or None for a run from before run.json."""
    import json

    path = os.path.join(out, RUN_FILE)
    if not os.path.exists(path):
        return None
    try:
        with open(path) as file:
            record = json.load(file)
        settings = record["settings"]
        if not isinstance(settings, dict):
            raise ValueError(f"its settings are a {type(settings).__name__}, not an object")
        unknown = sorted(set(settings) - set(TRAIN_DEFAULTS))
        if unknown:
            raise ValueError(f"unknown settings {unknown}")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UsageError(
            f"Cannot read the run's settings from {path} ({error}); it records how the run was "
            "started. Delete it to resume with the command line's settings instead"
        ) from None
    return settings


def _settings(args, recorded, out, entry):
    """Fills the (run) options left out: the run's recorded values, else the defaults.

    The image size defaults to the model's (`entry.image_size`: 32 for
    SNGAN, whose networks need a side that is a multiple of 8).

    A resumed run must see the batches the uninterrupted run would have, so
    its data settings are the recorded ones; a different value given on the
    command line is refused. `--dataset` may differ (the same data moved).
    """
    defaults = {**TRAIN_DEFAULTS, "image_size": entry.image_size}
    for name, default in defaults.items():
        given = getattr(args, name)
        if recorded is None or name not in recorded:
            value = default if given is None else given
        else:
            value = recorded[name] if given is None else given
            flag = "--" + name.replace("_", "-")
            if name != "dataset" and given is not None and not _same(given, recorded[name]):
                raise UsageError(
                    f"The run in {out} was started with {flag} {recorded[name]}; --resume "
                    f"continues it with its own settings: leave out {flag}, or give "
                    f"{recorded[name]}"
                )
        setattr(args, name, value)


def _write_run_file(out, entry, model, settings, args):
    """Records what makes the run: the model, its arguments and the data settings."""
    import json

    import keras

    from keras_gan_zoo.utils.files import atomic_write
    from keras_gan_zoo.version import __version__

    record = {
        "model": entry.name,
        "class": type(model).__name__,
        "model_args": settings,
        "latent_dim": model.latent_dim,
        "data_shape": list(model.data_shape),
        "settings": {name: getattr(args, name) for name in TRAIN_DEFAULTS},
        "backend": keras.config.backend(),
        "keras_gan_zoo": __version__,
    }
    with atomic_write(os.path.join(out, RUN_FILE)) as temporary, open(temporary, "w") as file:
        json.dump(record, file, indent=2)
        file.write("\n")


def _run_folder(args):
    """The run's folder from --out (its {model} and {dataset} filled in)."""
    dataset_name = os.path.basename(os.path.normpath(args.dataset or TRAIN_DEFAULTS["dataset"]))
    try:
        out = args.out.format(model=args.model, dataset=dataset_name)
    except (KeyError, IndexError, ValueError) as error:
        raise UsageError(
            f"--out {args.out}: only {{model}} and {{dataset}} may appear in braces ({error!r})"
        ) from None
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(
            f"--out {out} is a file; it must name the run's folder "
            "(for checkpoints/, samples/ and generator.keras)"
        )
    return out


def _previous_run(out):
    """The files a run writes that are already in `out`: (checkpoints, others)."""
    import re

    from keras_gan_zoo.callbacks import checkpoint

    found = [path for path, _ in checkpoint.checkpoints(os.path.join(out, "checkpoints"))]
    samples = os.path.join(out, "samples")
    grid = re.compile(r"(epoch_\d+|step_\d+)\.png")  # SampleGrid's names
    others = [
        os.path.join(samples, name)
        for name in (sorted(os.listdir(samples)) if os.path.isdir(samples) else [])
        if grid.fullmatch(name)
    ]
    if os.path.isfile(os.path.join(out, "generator.keras")):
        others.append(os.path.join(out, "generator.keras"))
    return found, others


def _check_run_folder_is_free(out, overwrite):
    """Refuses to start a new run in a folder that holds another, unless `overwrite`.

    A folder is owned by one run: mixing two would leave `--resume` and
    `sample <out>/checkpoints` on one run and generator.keras on the other.
    """
    found, others = _previous_run(out)
    if overwrite or not (found or others):
        return
    from keras_gan_zoo.callbacks import checkpoint

    epochs = [epoch for _, epoch in checkpoint.checkpoints(os.path.join(out, "checkpoints"))]
    what = f"checkpoints up to epoch {max(epochs)}" if epochs else "its samples or generator"
    raise UsageError(
        f"{out} holds another run ({what}); pass --resume to continue it, or --overwrite to "
        "delete its checkpoints, samples and generator.keras and start a new run there"
    )


def _resume(checkpoints, out):
    """(model, epoch) from the newest checkpoint that loads; says which ones it skipped."""
    import warnings

    from keras_gan_zoo.callbacks import GANCheckpoint
    from keras_gan_zoo.callbacks import checkpoint

    if not checkpoint.checkpoints(checkpoints):
        raise UsageError(
            f"Nothing to resume: {checkpoints} holds no checkpoint (epoch_NNNN.keras). "
            f"Leave out --resume to start a new run in {out}"
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", checkpoint.CheckpointSkippedWarning)
        model, epoch = GANCheckpoint.restore(checkpoints)
    for warning in caught:
        if issubclass(warning.category, checkpoint.CheckpointSkippedWarning):
            print(f"keras-gan-zoo: warning: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return model, epoch


def train(args):
    import keras

    from keras_gan_zoo.callbacks import GANCheckpoint
    from keras_gan_zoo.callbacks import SampleGrid
    from keras_gan_zoo.engine import NonFiniteLossError

    entry = _entry(args.model)
    _check_data_kind(entry)
    settings, flags = _model_settings(args, entry)
    out = _run_folder(args)
    checkpoints = os.path.join(out, "checkpoints")
    if args.resume:
        model, initial_epoch = _resume(checkpoints, out)
        _check_resumed_model(model, entry, settings, flags, args, out)
        _settings(args, _read_run_file(out), out, entry)
        if initial_epoch >= args.epochs:
            raise UsageError(
                f"The run in {out} has trained {initial_epoch} epochs already; --epochs "
                f"{args.epochs} leaves nothing to train. Pass a larger --epochs to continue it"
            )
        print(f"Resuming from epoch {initial_epoch} ({checkpoints})")
    else:
        _settings(args, None, out, entry)
        _check_run_folder_is_free(out, args.overwrite)
        keras.utils.set_random_seed(args.seed)
        model = None
        initial_epoch = 0
    dataset = _load_dataset(args, initial_epoch, labels=entry.labels)
    if model is None:
        spec = dataset.element_spec
        data_shape = tuple((spec[0] if isinstance(spec, tuple) else spec).shape[1:])
        model = _build_model(entry, settings, data_shape, args)
        model.compile()  # the model's own optimizers
    if args.overwrite:
        # Only now, with the data and the model ready: a mistake above keeps the old run.
        found, others = _previous_run(out)
        for path in found + others:
            os.remove(path)
        if found or others:
            print(f"Deleted the previous run's {len(found) + len(others)} files in {out}")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as error:
        raise UsageError(f"Cannot create the run folder --out {out}: {error}") from error
    if not args.resume:
        _write_run_file(out, entry, model, settings, args)
    print(
        f"Training {type(model).__name__} on {args.dataset} "
        f"({keras.config.backend()} backend) -> {out}"
    )
    try:
        model.fit(
            dataset,
            epochs=args.epochs,
            initial_epoch=initial_epoch,
            callbacks=[
                SampleGrid(os.path.join(out, "samples"), every_n_epochs=args.sample_every),
                GANCheckpoint(checkpoints),
            ],
            verbose=args.verbose,
        )
    except NonFiniteLossError as error:
        latest = GANCheckpoint.latest(checkpoints)
        kept = (
            f"The last good checkpoint is {latest[0]}."
            if latest
            else "No checkpoint had been written yet."
        )
        raise NonFiniteLossError(f"{error} {kept}") from error
    model.save_generator(os.path.join(out, "generator.keras"))
    print(
        f"Samples in {out}/samples, checkpoints in {checkpoints}, "
        f"generator in {out}/generator.keras"
    )


def _run_generator(folder):
    """The .keras file to sample from a folder: a run's or a checkpoint folder's newest.

    A run folder (of `train`) gives its newest checkpoint, or its
    generator.keras when it holds no checkpoint.
    """
    from keras_gan_zoo.callbacks import GANCheckpoint

    for checkpoints in (os.path.join(folder, "checkpoints"), folder):
        found = GANCheckpoint.latest(checkpoints) if os.path.isdir(checkpoints) else None
        if found is not None:
            return found[0]
    exported = os.path.join(folder, "generator.keras")
    if os.path.isfile(exported):
        return exported
    raise UsageError(
        f"{folder} is neither a preset (no metadata.json), a run folder (no "
        "checkpoints/epoch_NNNN.keras or generator.keras) nor a checkpoint folder "
        "(no epoch_NNNN.keras)"
    )


def _load_sampler(source, refresh=False):
    """A `Generator` from a run or checkpoint folder, a .keras file or any preset."""

    import keras

    import keras_gan_zoo
    from keras_gan_zoo import sampling

    path = source
    if os.path.isdir(path) and not os.path.exists(os.path.join(path, "metadata.json")):
        path = _run_generator(path)
    if not path.endswith(".keras"):
        return keras_gan_zoo.load_generator(source, refresh=refresh)
    model = _load_keras_file(path)
    if isinstance(model, keras_gan_zoo.Generator):
        return model
    if isinstance(model, keras_gan_zoo.engine.AdversarialModel):
        return model.sampler()
    network = model
    try:
        latent_dim = sampling.latent_dim_of(network) if isinstance(network, keras.Model) else None
    except ValueError:
        latent_dim = None
    if latent_dim is None:
        raise UsageError(
            f"{path} holds a {type(model).__name__} whose generator cannot be found: expected "
            "a GAN, a Generator, or a generator network taking (batch, latent_dim) latent "
            f"vectors (its input shape is {getattr(network, 'input_shape', None)})"
        )
    return keras_gan_zoo.Generator(
        network, latent_dim=latent_dim, num_classes=getattr(model, "num_classes", None)
    )


def _load_keras_file(path):
    """The object a .keras file holds, with errors that say what is wrong with the file."""
    import zipfile

    import keras

    if not os.path.exists(path):
        raise UsageError(f"{path} does not exist")
    # Keras answers a file that is not its zip archive with "File not found"
    # or a bare KeyError; say what is wrong with the file instead.
    if not zipfile.is_zipfile(path):
        raise UsageError(f"{path} is not a Keras file: a .keras file is a zip archive; this is not")
    try:
        with zipfile.ZipFile(path) as archive:
            has_config = "config.json" in archive.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise UsageError(f"{path} is not a readable Keras file: {error}") from error
    if not has_config:
        raise UsageError(f"{path} is not a Keras file: its zip archive holds no config.json")
    try:
        return keras.saving.load_model(path)
    except (ValueError, TypeError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise UsageError(f"{path} could not be loaded as a Keras model: {error}") from error


def _load_encoder(source, refresh=False):
    """An `Encoder` from a preset, a .keras file (an Encoder, or a model with an encoder)
    or a run folder."""
    import keras_gan_zoo

    path = source
    if os.path.isdir(path) and not os.path.exists(os.path.join(path, "metadata.json")):
        path = _run_generator(path)
    if not path.endswith(".keras"):
        return keras_gan_zoo.load_encoder(source, refresh=refresh)
    model = _load_keras_file(path)
    if isinstance(model, keras_gan_zoo.Encoder):
        return model
    if not hasattr(model, "export_encoder"):
        raise UsageError(
            f"{path} holds a {type(model).__name__}, which has no encoder; BiGAN, ALI and the "
            "adversarial autoencoders have one"
        )
    return model.export_encoder()


def _images_to_encode(path, encoder, split):
    """The images to encode, as floats in the encoder's range: an .npy array, or the
    images of an IDX folder (uint8 pixels are scaled to the range)."""
    import numpy as np

    from keras_gan_zoo import datasets

    if os.path.isdir(path):
        if not datasets.has_idx_images(path):
            raise UsageError(f"{path} is a folder without MNIST-format IDX image files")
        images, _ = datasets.idx_arrays(path, split=split)
        images = images[..., None] if images.ndim == 3 else images
    elif path.endswith(".npy"):
        if not os.path.isfile(path):
            raise UsageError(f"{path} does not exist")
        try:
            images = np.load(path, allow_pickle=False)
        except ValueError as error:
            raise UsageError(f"{path} is not a NumPy array file: {error}") from error
    else:
        raise UsageError(f"{path} is neither an .npy array of images nor a folder of IDX files")
    if images.dtype == np.uint8 and encoder.data_range is not None:
        low, high = encoder.data_range
        images = images.astype("float32") / 255.0 * (high - low) + low
    return images


def encode(args):
    import numpy as np

    from keras_gan_zoo.utils import files

    encoder = _load_encoder(args.source, refresh=args.refresh)
    if args.classes and not encoder.has_categories:
        raise UsageError(f"--classes: {args.source} has no categorical code to classify with")
    images = _images_to_encode(args.images, encoder, args.split)
    try:
        codes, categories = encoder.encode_all(images, args.batch_size)
    except ValueError as error:
        raise UsageError(f"{args.images}: {error}") from error
    with files.atomic_write(args.out, suffix=".npy") as temporary:
        np.save(temporary, codes)
    print(f"Wrote the codes of {len(images):,} images, shape {codes.shape}, to {args.out}")
    if args.classes:
        with files.atomic_write(args.classes, suffix=".npy") as temporary:
            np.save(temporary, np.argmax(categories, axis=-1).astype("int32"))
        print(f"Wrote their categories (the categorical code's argmax) to {args.classes}")


def sample(args):
    import math
    import shutil

    import keras
    import numpy as np

    from keras_gan_zoo import backend
    from keras_gan_zoo import sampling
    from keras_gan_zoo.utils import files
    from keras_gan_zoo.utils import images

    # The command line is checked before any model is loaded or sample drawn.
    if args.n < 1:
        raise UsageError(f"--n must be a positive number of samples; got {args.n}")
    if args.batch_size < 1:
        raise UsageError(
            f"--batch-size must be a positive number of samples; got {args.batch_size}"
        )
    if args.columns is not None and args.columns < 1:
        raise UsageError(
            f"--columns must be a positive number of images per row; got {args.columns}"
        )
    if args.interpolate is not None and args.interpolate < 2:
        raise UsageError(
            f"--interpolate is the number of images per row, both ends included, so at least "
            f"2; got {args.interpolate}"
        )
    if args.truncation is not None and not (math.isfinite(args.truncation) and args.truncation > 0):
        raise UsageError(
            f"--truncation must be a positive finite number, e.g. 0.5; got {args.truncation}"
        )
    if args.seed < 0:
        raise UsageError(f"--seed must be a non-negative integer; got {args.seed}")
    kind = os.path.splitext(args.out)[1].lower()
    if kind not in (".png", ".npy"):
        raise UsageError(
            f"--out must end in .png (an image grid) or .npy (the raw samples); got {args.out}"
        )
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(folder):
        raise UsageError(f"--out {args.out}: the folder {folder} does not exist")
    if os.path.isdir(args.out):
        raise UsageError(f"--out {args.out} is a folder; name a .png or .npy file")
    if args.traverse is not None and args.interpolate is not None:
        raise UsageError("--traverse and --interpolate make different grids; choose one")
    if args.traverse is not None and args.between_classes is not None:
        raise UsageError("--traverse and --between-classes make different grids; choose one")
    between = _class_pair(args.between_classes)
    steps = args.interpolate or (8 if between else None)
    rows = max(1, args.n // steps) if steps else None
    count = rows * steps if steps else args.n
    if kind == ".png" and count > sampling.MAX_GRID_IMAGES:
        raise UsageError(
            f"--n {args.n} is too many images for one PNG grid (at most "
            f"{sampling.MAX_GRID_IMAGES}); write the samples as an array with --out FILE.npy"
        )

    generator = _load_sampler(args.source, refresh=args.refresh)
    codes = _fixed_codes(args.code, generator, args.source)
    if args.traverse is not None:
        try:
            steps = len(generator.code_values(args.traverse))
        except ValueError as error:
            raise UsageError(f"--traverse {args.traverse}: {error}") from None
        rows = max(1, args.n // steps)
        count = rows * steps
    if between is not None:
        if args.label is not None:
            raise UsageError("--between-classes sets the classes of each row; drop --label")
        if generator.num_classes is None:
            raise UsageError(f"{args.source} is unconditional; it takes no --between-classes")
        for label in between:
            if label >= generator.num_classes:
                raise UsageError(
                    f"--between-classes {args.between_classes}: {args.source}'s classes are 0 "
                    f"to {generator.num_classes - 1}"
                )
    if args.label is not None:
        if generator.num_classes is None:
            raise UsageError(f"{args.source} is unconditional; it takes no --label")
        if not 0 <= args.label < generator.num_classes:
            raise UsageError(
                f"--label must be a class of {args.source}, 0 to {generator.num_classes - 1}; "
                f"got {args.label}"
            )
    shape = sampling.example_shape(generator.network, generator.latent_dim, generator.num_classes)
    if kind == ".png" and len(shape) != 3:
        raise UsageError(
            f"{args.source} makes examples of shape {shape}, not images; "
            "write them as an array with --out FILE.npy"
        )

    def write_samples(out):
        if between is not None:
            out[:] = generator.interpolate_classes(
                *between, steps=steps, rows=rows, seed=args.seed, codes=codes
            )
            return
        if args.traverse is not None:
            out[:] = generator.traverse(
                args.traverse, rows=rows, seed=args.seed, labels=args.label, codes=codes
            )
            return
        if not steps:
            generator.generate(
                args.n,
                seed=args.seed,
                truncation=args.truncation,
                labels=args.label,
                batch_size=args.batch_size,
                out=out,
                codes=codes,
            )
            return
        # Rows of `steps` images between pairs of drawn ends (one class per
        # row), a batch of rows at a time so memory stays bounded.
        pairs = max(1, args.batch_size // steps)
        row = 0
        for ends, end_labels in sampling.latent_batches(
            2 * rows,
            generator.latent_dim,
            2 * pairs,
            args.seed,
            args.truncation,
            generator.num_classes,
            args.label,
        ):
            paths = np.concatenate(
                [
                    sampling.interpolate_latents(first, last, steps, args.method)
                    for first, last in zip(ends[0::2], ends[1::2])
                ]
            )
            row_labels = None if end_labels is None else np.repeat(end_labels[0::2], steps)
            done = row + len(ends) // 2
            generator.generate(
                latents=paths,
                labels=row_labels,
                batch_size=args.batch_size,
                out=out[row * steps : done * steps],
                codes=_row_codes(generator, codes, (args.seed, row), done - row, steps),
            )
            row = done

    if kind == ".npy":
        # Straight to disk through a memory map: memory stays bounded by
        # --batch-size for any --n, and the file appears only when complete.
        nbytes = count * math.prod(shape) * 4
        free = shutil.disk_usage(folder).free
        if nbytes > free:
            raise UsageError(
                f"{count} samples of shape {shape} take {nbytes / 1e9:.3g} GB as float32; "
                f"{folder} has {free / 1e9:.3g} GB free"
            )
        with files.atomic_write(args.out, suffix=".npy") as temporary:
            out = np.lib.format.open_memmap(
                temporary, mode="w+", dtype=np.float32, shape=(count, *shape)
            )
            write_samples(out)
            out.flush()
            del out
    else:
        sampling.check_fits_in_memory(
            count * math.prod(shape) * 4,
            f"{count} samples of shape {shape}",
            "; ask for fewer, or write them to disk with --out FILE.npy",
        )
        out = np.empty((count, *shape), dtype=np.float32)
        write_samples(out)
        images.save_image_grid(out, args.out, columns=steps or args.columns)
    print(
        f"Wrote {count} samples from {args.source} to {args.out} "
        f"({keras.config.backend()} backend, {backend.accelerator()})"
    )


def _fixed_codes(items, generator, source):
    """`--code NAME=VALUE` items as `generate(codes=...)`: ints for categorical codes."""
    if not items:
        return None
    names = getattr(generator, "code_names", [])
    codes = {}
    for item in items:
        name, _, text = item.partition("=")
        if name not in names:
            known = ", ".join(names) or "none"
            raise UsageError(f"--code {item}: {source} has no code {name!r} (its codes: {known})")
        kind = generator.code_kind(name)
        try:
            codes[name] = int(text) if kind == "categorical" else float(text)
        except ValueError:
            wanted = "an integer category" if kind == "categorical" else "a number"
            raise UsageError(f"--code {item}: {name} is {kind}; give {wanted}") from None
    return codes


def _row_codes(generator, codes, seed, rows, steps):
    """Codes for interpolation rows: drawn once per row, fixed along it.

    `seed`: (the command's seed, the first row), a stream apart from the ends'.
    """
    import numpy as np

    if not getattr(generator, "code_names", None):
        return codes
    row_codes = generator.codes_of(generator.draw(rows, np.random.default_rng(seed)))
    row_codes = {name: np.repeat(value, steps) for name, value in row_codes.items()}
    return {**row_codes, **(codes or {})}


def _model_record(entry):
    """What `models --json` says of one model."""
    return {
        "name": entry.name,
        "class": entry.model_class.__name__,
        "description": entry.description,
        "paper": entry.paper,
        "data_kinds": list(entry.data_kinds),
        "image_size": entry.image_size,
        "labels": entry.labels,
        "model_args": model_arguments(entry.model_class),
    }


def models(args):
    import json

    names = _registered_names() if args.name is None else [_entry(args.name).name]
    records = [_model_record(_entry(name)) for name in names]
    if args.json:
        # A required argument has no default (null); one that is no JSON value, its repr.
        for record in records:
            arguments = record["model_args"]
            record["model_args"] = {
                name: None if value is _REQUIRED else value for name, value in arguments.items()
            }
        print(json.dumps(records, indent=2, default=repr))
        return
    if args.name is not None:
        (record,) = records
        print(f"{record['name']} ({record['class']}): {record['description']}")
        print(f"  paper:      {record['paper']}")
        print(f"  data kinds: {', '.join(record['data_kinds'])}")
        print(f"  image size: {record['image_size']} (the default --image-size)")
        print("  --model-arg NAME=VALUE (default):")
        for name, default in record["model_args"].items():
            print(f"    {name}=" + ("(required)" if default is _REQUIRED else repr(default)))
        return
    rows = [("NAME", "CLASS", "DATA", "PAPER")] + [
        (r["name"], r["class"], ", ".join(r["data_kinds"]), r["paper"]) for r in records
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])


def presets(args):
    import keras_gan_zoo

    keras_gan_zoo.list_presets()


def _reference_images(reference, image_shape=None, batch_size=50):
    """The --reference as `evaluation.evaluate` takes it, and its statistics-cache key.

    An .npz statistics file is kept as a path; an .npy array is loaded (never
    unpickled) and checked as training data is; a folder of IDX files or of
    images, or a tensorflow-datasets name, becomes a dataset in stored order.
    Image files are read at the generator's `image_shape` (needed for all but
    .npz and .npy files). Arrays are cached under a hash of their bytes (in
    the library), folders under `path_fingerprint` and the size they are read
    at, never under the path alone: new content at the same path must give
    new statistics.
    """
    from keras_gan_zoo import datasets
    from keras_gan_zoo.metrics import evaluation

    if reference.endswith(".npz"):
        if not os.path.isfile(reference):
            raise UsageError(f"--reference {reference} does not exist")
        return reference, None
    if reference.endswith(".npy"):
        return _load_reference_array(reference), None
    # The loaders drop a last partial batch, a reference must not: they read
    # batches of one, regrouped (last one partial) without leaving tf.data.
    if os.path.isdir(reference):
        fingerprint = evaluation.path_fingerprint(reference)
        if datasets.has_idx_images(reference):
            dataset = datasets.load(reference, batch_size=1, shuffle=False)
            return dataset.rebatch(batch_size), f"idx:{fingerprint}"
        if len(image_shape) != 3 or image_shape[-1] not in (1, 3):
            raise UsageError(
                f"--reference {reference} is a folder of image files, but the generator makes "
                f"examples of shape {image_shape}, not images with 1 or 3 channels"
            )
        height, width, channels = image_shape
        dataset = datasets.load(
            reference,
            batch_size=1,
            shuffle=False,
            image_size=(height, width),
            channels=channels,
        )
        return dataset.rebatch(batch_size), f"images:{fingerprint}:{height}x{width}x{channels}"
    if os.path.exists(reference):
        raise UsageError(
            f"--reference {reference} is neither an .npz statistics file, an .npy image array "
            "nor a folder of IDX files or images"
        )
    size = {} if len(image_shape) != 3 else {"image_size": tuple(image_shape[:2])}
    # tensorflow-datasets names a fixed, versioned dataset: its name is its content.
    dataset = datasets.load(reference, batch_size=1, shuffle=False, **size)
    return dataset.rebatch(batch_size), f"tfds:{reference}"


def _load_reference_array(path):
    """The images of an .npy file, checked; never unpickled."""
    import numpy as np

    from keras_gan_zoo.metrics import evaluation

    if not os.path.isfile(path):
        raise UsageError(f"--reference {path} does not exist")
    with open(path, "rb") as file:
        magic = file.read(6)
    if magic != b"\x93NUMPY":
        raise UsageError(
            f"--reference {path} is not an .npy file (it does not start with NumPy's magic "
            "bytes); save the images with numpy.save"
        )
    try:
        images = np.load(path, allow_pickle=False)
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise UsageError(
                f"--reference {path} holds Python objects, which are never unpickled; "
                "expected a numeric image array (uint8 0..255 or floats in [-1, 1])"
            ) from None
        raise UsageError(f"--reference {path} is truncated or corrupt ({error})") from None
    except (OSError, EOFError) as error:
        raise UsageError(f"--reference {path} is truncated or corrupt ({error})") from None
    return evaluation.check_reference_images(images, name=f"The images in {path}")


def _check_evaluate_arguments(args, metrics):
    """Answers the mistakes that need nothing loaded, before anything is."""
    from keras_gan_zoo import datasets
    from keras_gan_zoo.metrics import fid_preprocessing

    for flag, value, minimum in (
        ("--n", args.n, 1),
        ("--n-reference", args.n_reference, 1),
        ("--batch-size", args.batch_size, 1),
        ("--seed", args.seed, 0),
    ):
        if value is not None and value < minimum:
            raise UsageError(f"{flag} must be at least {minimum}; got {value}")
    on_folder = [metric for metric in metrics if metric in _ON_IDX_FOLDER]
    if args.reference is None and on_folder:
        raise UsageError(
            f"{_named(on_folder)} {_needs(on_folder)} --reference: a folder of MNIST-format IDX "
            "files (its test split, t10k-images-idx3-ubyte[.gz])"
        )
    if args.reference is None and set(metrics) - {"is", "fidelity"}:
        raise UsageError("--reference is needed for every metric but is")
    if on_folder and not datasets.has_idx_images(args.reference):
        problem = "does not exist" if not os.path.exists(args.reference) else "is not one"
        raise UsageError(
            f"{_named(on_folder)} {_needs(on_folder)} --reference to be a folder of "
            f"MNIST-format IDX files (its test split, t10k-images-idx3-ubyte[.gz]); "
            f"{args.reference} {problem}"
        )
    if args.reference is not None and args.reference.endswith(".npz"):
        if args.n_reference is not None:
            raise UsageError(
                f"--n-reference selects reference images, but {args.reference} holds the "
                "statistics of a fixed set"
            )
        needing_images = [metric for metric in metrics if metric in ("kid", "pr", "dc")]
        if needing_images:
            raise UsageError(
                f"--reference {args.reference} is a statistics file, enough for FID only; "
                f"--metric {' '.join(needing_images)} needs reference images (an .npy array "
                "or a folder)"
            )
    if args.features == "inception" and args.mode not in fid_preprocessing.MODES:
        raise UsageError(
            f"--mode {args.mode!r} is not an Inception preprocessing; choose from "
            f"{', '.join(fid_preprocessing.MODES)}"
        )
    if args.json is not None:
        folder = os.path.dirname(os.path.abspath(args.json))
        if os.path.isdir(args.json):
            raise UsageError(f"--json {args.json} is a folder; name a file to write")
        if not os.path.isdir(folder):
            raise UsageError(f"--json {args.json}: the folder {folder} does not exist")


def evaluate(args):
    import json

    import keras

    from keras_gan_zoo.metrics import evaluation
    from keras_gan_zoo.utils.files import atomic_write

    metrics = tuple(dict.fromkeys(args.metric or ("fid",)))
    feature_metrics = tuple(metric for metric in metrics if metric in _FEATURE_METRICS)
    class_metrics = tuple(metric for metric in metrics if metric in _CLASS_METRICS)
    _check_evaluate_arguments(args, metrics)
    # The labelled splits and the files are read before the generator loads:
    # a mistake is answered at once.
    splits = _class_metric_splits(args.reference, class_metrics)
    reference = reference_key = None
    if feature_metrics and args.reference is not None and args.reference.endswith((".npz", ".npy")):
        reference, reference_key = _reference_images(args.reference)
    generator = _load_sampler(args.source, refresh=args.refresh)
    if class_metrics:
        _check_class_metrics(generator, args, class_metrics, splits)
    results = {}
    backend_name = f"({keras.config.backend()} backend)"
    if feature_metrics:
        extractor = evaluation.feature_extractor(args.features, mode=args.mode)
        if args.reference is not None and reference is None:
            image_shape = tuple(generator.network.output_shape[1:])
            reference, reference_key = _reference_images(
                args.reference, image_shape, args.batch_size
            )
        results = evaluation.evaluate(
            generator,
            reference,
            metrics=feature_metrics,
            extractor=extractor,
            n=args.n,
            n_reference=args.n_reference,
            batch_size=args.batch_size,
            seed=args.seed,
            reference_key=reference_key,
        )
        for name, value in results.items():
            if isinstance(value, float):
                print(f"{name:>10} {value:.6g}")
        print(f"{'protocol':>10} {results['protocol']} {backend_name}")
    for metric in class_metrics:
        result = _CLASS_METRIC_RUNS[metric](generator, args, splits)
        results[metric] = result[_HEADLINES[metric]]
        results[f"{metric}_protocol"] = result["protocol"]
        results[f"{metric}_details"] = _plain(
            {key: value for key, value in result.items() if key != "protocol"}
        )
        _print_class_metric(metric, result)
        print(f"{'protocol':>10} {result['protocol']} {backend_name}")
    if args.json:
        with atomic_write(args.json) as temporary, open(temporary, "w") as file:
            json.dump(results, file, indent=2)


# The class-conditional metrics that read the --reference folder, and those
# that need a conditional generator.
_ON_IDX_FOLDER = ("cas", "intra_fid", "parzen")
_CONDITIONAL = ("fidelity", "cas", "intra_fid")
# The number each metric's function reports first, and its JSON name.
_HEADLINES = {
    "fidelity": "fidelity",
    "cas": "cas",
    "intra_fid": "intra_fid",
    "parzen": "log_likelihood",
}
# MNIST's IDX file names start with the split: "t10k-images-idx3-ubyte.gz".
_IDX_SPLITS = {"test": "t10k", "train": "train"}
# Parzen's sigma is chosen on training images: the first 1,000 of the last
# 10,000, as parzen_ll.py chose it on MNIST training images 50,000-50,999
# (the GAN and CGAN papers trained on the first 50,000).
_PARZEN_HELD_OUT = 10_000
_PARZEN_VALIDATION = 1_000
# The bundled classifiers' input and classes (fidelity, intra_fid), and how messages name them.
_MNIST_SHAPE = (28, 28, 1)
_MNIST_CLASSES = 10
_CLASSIFIER_NAMES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}


def _classifier_name(generator, args):
    """--classifier, else the one the preset's metadata names, else "mnist"."""
    name = args.classifier or generator.metadata.get("classifier", "mnist")
    if name not in _CLASSIFIER_NAMES:
        raise UsageError(
            f"{args.source} names the classifier {name!r} in its metadata; the bundled ones are "
            f"{', '.join(_CLASSIFIER_NAMES)} (choose one with --classifier)"
        )
    return name


def _bundled_classifier(generator, args):
    """(the bundled classifier for the class metrics, the sentence its protocol names it by)."""
    from keras_gan_zoo.metrics import mnist_cnn

    return mnist_cnn.bundled_classifier(_classifier_name(generator, args))


def _named(metrics):
    """ "cas", "cas and parzen", "fidelity, cas and parzen": metrics in a sentence."""
    return metrics[0] if len(metrics) == 1 else f"{', '.join(metrics[:-1])} and {metrics[-1]}"


def _needs(metrics):
    return "needs" if len(metrics) == 1 else "need"


def _class_metric_splits(reference, metrics):
    """The --reference folder's splits the class metrics read: {"test": ..., "train": ...}.

    Each is (uint8 images (N, H, W), int labels (N,) or None), or None when
    no metric reads it or the folder lacks one that only may be read. The
    test split is needed by cas, intra_fid and parzen, with labels for the
    first two; the training split by parzen (its validation images) and,
    when present, by cas (the real-data classifier, with labels).
    """
    on_folder = [metric for metric in metrics if metric in _ON_IDX_FOLDER]
    if not on_folder:
        return {}
    labelled = [metric for metric in on_folder if metric in _CONDITIONAL]
    test = _idx_split(reference, "test", labelled)
    if test is None:
        raise UsageError(
            f"{_named(on_folder)} {_needs(on_folder)} the test split of --reference "
            f"{reference}: it holds no t10k-images-idx3-ubyte[.gz]"
        )
    train = None
    if "cas" in metrics or "parzen" in metrics:
        train = _idx_split(reference, "train", ["cas"] if "cas" in metrics else [])
    if train is None and "parzen" in metrics:
        raise UsageError(
            f"parzen chooses its kernel width on training images, but --reference {reference} "
            "holds no training split (train-images-idx3-ubyte[.gz]) beside its test split"
        )
    if train is not None and train[0].shape[1:] != test[0].shape[1:]:
        raise UsageError(
            f"--reference {reference}: the training images are {_size(train[0])} and the test "
            f"images {_size(test[0])}; they must match"
        )
    return {"test": test, "train": train}


def _idx_split_file(folder, split, kind):
    """The path of a split's "images" or "labels" IDX file in `folder`, or None."""
    rank = 3 if kind == "images" else 1
    pattern = re.compile(rf"{_IDX_SPLITS[split]}-{kind}[-.]idx{rank}-ubyte(\.gz)?$")
    names = sorted(name for name in os.listdir(folder) if pattern.search(name))
    if len(names) > 1:
        raise UsageError(f"--reference {folder} holds {' and '.join(names)}; keep one of them")
    return os.path.join(folder, names[0]) if names else None


def _idx_split(folder, split, needing_labels):
    """(uint8 images (N, H, W), labels or None) of an IDX folder's split, or None without it.

    The labels are read when `needing_labels` names a metric; a missing
    labels file is then an error naming them.
    """
    from keras_gan_zoo import datasets

    images_file = _idx_split_file(folder, split, "images")
    if images_file is None:
        return None
    images = datasets.read_idx(images_file)
    if images.ndim != 3 or images.dtype.name != "uint8":
        raise UsageError(
            f"{images_file} holds {images.dtype} data of shape {images.shape}, not uint8 "
            "images (N, H, W)"
        )
    if not needing_labels:
        return images, None
    labels_file = _idx_split_file(folder, split, "labels")
    if labels_file is None:
        raise UsageError(
            f"{_named(needing_labels)} {_needs(needing_labels)} the class of every reference "
            f"image, but --reference {folder} has no labels file "
            f"({_IDX_SPLITS[split]}-labels-idx1-ubyte[.gz]) beside {os.path.basename(images_file)}"
        )
    labels = datasets.read_idx(labels_file)
    if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
        raise UsageError(
            f"{labels_file} holds {labels.dtype} data of shape {labels.shape}, not one integer "
            f"label for each of the {len(images):,} images beside it"
        )
    return images, labels.astype("int64")


def _size(images):
    return f"{images.shape[1]}x{images.shape[2]}"


def _unit_images(images):
    """uint8 (N, H, W) pixels as the generators' float32 (N, H, W, 1) images in [-1, 1]."""
    return images[..., None].astype("float32") / 127.5 - 1.0


def _check_class_metrics(generator, args, metrics, splits):
    """Answers a generator the class metrics cannot measure, before any sample is drawn."""
    source = args.source
    shape = tuple(generator.network.output_shape[1:])
    conditional = [metric for metric in metrics if metric in _CONDITIONAL]
    num_classes = generator.num_classes
    if conditional and num_classes is None:
        hint = ""
        if getattr(getattr(generator, "prior", None), "categorical_codes", ()):
            hint = (
                "; its categorical codes are learned without labels (score them with "
                "keras_gan_zoo.metrics.code_accuracy)"
            )
        raise UsageError(
            f"{_named(conditional)} {_needs(conditional)} a conditional generator, but "
            f"{source} is unconditional: it takes no class labels{hint}"
        )
    bundled = _CLASSIFIER_NAMES[_classifier_name(generator, args)]
    for metric in ("fidelity", "intra_fid"):
        if metric in metrics and shape != _MNIST_SHAPE:
            raise UsageError(
                f"{metric} uses the bundled {bundled} classifier, which reads 28x28 grayscale "
                f"images (shape {_MNIST_SHAPE}); {source} makes examples of shape {shape}"
            )
    if "fidelity" in metrics and num_classes > _MNIST_CLASSES:
        raise UsageError(
            f"fidelity labels samples with the bundled {bundled} classifier, which knows "
            f"{_MNIST_CLASSES} classes; {source} has {num_classes} classes"
        )
    for metric, minimum in (("fidelity", 1), ("cas", 1), ("intra_fid", 2)):
        per_class = args.n // num_classes if metric in metrics else minimum
        if per_class < minimum:
            raise UsageError(
                f"--n {args.n} gives {per_class} sample{'s' if per_class != 1 else ''} to each "
                f"of the {num_classes} classes; {metric} needs at least {minimum} of each "
                f"(--n {minimum * num_classes} or more)"
            )
    if not splits:
        return
    test_images = splits["test"][0]
    if (*test_images.shape[1:], 1) != shape:
        on_folder = [metric for metric in metrics if metric in _ON_IDX_FOLDER]
        raise UsageError(
            f"--reference {args.reference} holds {_size(test_images)} grayscale images, but "
            f"{source} makes examples of shape {shape}; {_named(on_folder)} "
            f"{'compares' if len(on_folder) == 1 else 'compare'} them"
        )
    for split, read in splits.items():
        labels = None if read is None else read[1]
        if conditional and labels is not None and len(labels) and labels.max() >= num_classes:
            raise UsageError(
                f"--reference {args.reference}: the {split} split's labels run to "
                f"{int(labels.max())}, but {source} has {num_classes} classes (0 to "
                f"{num_classes - 1})"
            )


def _class_fidelity(generator, args, splits):
    from keras_gan_zoo import metrics

    classifier, protocol = _bundled_classifier(generator, args)
    return metrics.class_fidelity(
        generator,
        classifier=classifier,
        samples_per_class=args.n // generator.num_classes,
        seed=args.seed,
        batch_size=args.batch_size,
        classifier_description=protocol,
    )


def _cas(generator, args, splits):
    from keras_gan_zoo import metrics

    test_images, test_labels = splits["test"]
    real_images = real_labels = None
    if splits["train"] is not None:
        real_images, real_labels = _unit_images(splits["train"][0]), splits["train"][1]
    return metrics.classification_accuracy_score(
        generator,
        _unit_images(test_images),
        test_labels,
        samples_per_class=args.n // generator.num_classes,
        real_images=real_images,
        real_labels=real_labels,
        seed=args.seed,
        batch_size=args.batch_size,
    )


def _intra_fid(generator, args, splits):
    from keras_gan_zoo import metrics

    test_images, test_labels = splits["test"]
    classifier, protocol = _bundled_classifier(generator, args)
    return metrics.intra_class_fid(
        generator,
        _unit_images(test_images),
        test_labels,
        samples_per_class=args.n // generator.num_classes,
        seed=args.seed,
        feature_extractor=classifier,
        batch_size=args.batch_size,
        feature_description="the 128-d 'features' layer of " + protocol,
    )


def _parzen(generator, args, splits):
    from keras_gan_zoo import metrics

    train_images = splits["train"][0]
    start = max(0, len(train_images) - _PARZEN_HELD_OUT)
    stop = min(len(train_images), start + _PARZEN_VALIDATION)
    samples = generator.generate(args.n, seed=args.seed, batch_size=args.batch_size)
    result = metrics.parzen_log_likelihood(
        samples,
        _unit_images(splits["test"][0]),
        _unit_images(train_images[start:stop]),
        batch_size=args.batch_size,
    )
    classes = "" if generator.num_classes is None else ", classes drawn uniformly"
    result["protocol"] += (
        f"; samples drawn with generate({args.n}, seed={args.seed}){classes}; test images: the "
        f"test split; validation images: training images {start:,} to {stop - 1:,} of "
        f"{len(train_images):,} (the first {_PARZEN_VALIDATION:,} of the last "
        f"{_PARZEN_HELD_OUT:,}: MNIST's 50,000 to 50,999, as parzen_ll.py)"
    )
    return result


_CLASS_METRIC_RUNS = {
    "fidelity": _class_fidelity,
    "cas": _cas,
    "intra_fid": _intra_fid,
    "parzen": _parzen,
}


def _print_class_metric(metric, result):
    value = result[_HEADLINES[metric]]
    if metric == "cas" and result["real_data_accuracy"] is not None:
        print(f"{metric:>10} {value:.6g} (real data: {result['real_data_accuracy']:.6g})")
    elif metric == "parzen":
        print(f"{metric:>10} {value:.6g} +- {result['standard_error']:.3g} nats")
    else:
        print(f"{metric:>10} {value:.6g}")


def _plain(value):
    """`value` with NumPy arrays and numbers as lists and Python numbers, for JSON."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def _quiet_python_logs():
    """Keeps TensorFlow's and absl's Python-side warnings (retracing, dataset
    notices) off the terminal; errors still show."""
    import logging

    for name in ("tensorflow", "absl", "jax._src.xla_bridge"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _report(error):
    """One line naming the problem: the message, or the type for a bare exception."""
    # A TensorFlow op error's first line is the message; the rest names graph nodes.
    # (after a "{{function_node ...}}" prefix when it was raised inside a tf.function).
    text = str(error)
    if hasattr(error, "op"):
        text = re.sub(r"^\{\{function_node [^}]*\}\}\s*", "", error.message).splitlines()[0]
    message = " ".join(text.split()) or type(error).__name__
    print(f"keras-gan-zoo: error: {message}", file=sys.stderr)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)  # a bad command line exits 2 with argparse's usage line
    if args.backend:
        import keras  # already loaded by the package, with KERAS_BACKEND's backend

        if keras.config.backend() != args.backend:
            env = dict(os.environ, KERAS_BACKEND=args.backend)
            command = [sys.executable, "-m", "keras_gan_zoo.cli", *argv]
            os.execvpe(sys.executable, command, env)
    if not args.debug:
        _quiet_python_logs()
    commands = {
        "models": models,
        "train": train,
        "sample": sample,
        "presets": presets,
        "evaluate": evaluate,
        "encode": encode,
    }
    try:
        commands[args.command](args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("keras-gan-zoo: interrupted", file=sys.stderr)
        sys.exit(130)
    except _user_errors() as error:
        if args.debug:
            raise
        _report(error)
        sys.exit(EXIT_USER_ERROR)


if __name__ == "__main__":
    main()
