"""The FID Inception network's pretrained weights: where they come from, and their conversion.

Two public files hold the weights FID is defined with:
- pytorch-fid's `pt_inception-2015-12-05-6726825d.pth` (torch-fidelity ships
  the same file under another name), a PyTorch state dict;
- TensorFlow's `inception-2015-12-05.tgz`, the original frozen graph
  (`classify_image_graph_def.pb`) that TTUR's FID code runs.

Either is converted once into a Keras weights file in the package cache
(`fid/` under `keras_gan_zoo.utils.downloads.cache_dir()`), with its sha256
recorded beside it and checked on every load. Where the weights come from, in
order: the `source` argument, the KERAS_GAN_ZOO_FID_WEIGHTS environment
variable (a path to either public file or to a converted `.weights.h5`), the
cache, and finally a verified download of the pytorch-fid file. Offline
without any of these, FID refuses with `FIDWeightsNotFound`, whose message
says how to get them. A file that is not one of these (not a state dict, an
archive or graph, or one without the FID Inception weights) is refused with
`FIDWeightsError`, naming the file and what was expected.

Reading the `.pth` file needs the torch package installed (any Keras backend
may be active); reading the TensorFlow archive needs tensorflow.
"""

import os
import tarfile
import warnings
import zlib

import numpy as np

from keras_gan_zoo.utils import downloads
from keras_gan_zoo.utils.files import atomic_write

PYTORCH_FID_URL = (
    "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
    "pt_inception-2015-12-05-6726825d.pth"
)
# The file's published sha256; torch.hub's check of the name's 8-hex prefix agrees.
PYTORCH_FID_SHA256 = "6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2"
TENSORFLOW_GRAPH_URL = (
    "http://download.tensorflow.org/models/image/imagenet/inception-2015-12-05.tgz"
)
ENVIRONMENT_VARIABLE = "KERAS_GAN_ZOO_FID_WEIGHTS"
_CACHE_SUBDIR = "fid"
_GRAPH_MEMBER = "classify_image_graph_def.pb"
_GRAPH_MAX_BYTES = 1 << 30  # the real graph is 95 MB; refuse to read gigabytes of something else
_EXPECTED_FILES = (
    "FID weights are pytorch-fid's pt_inception-2015-12-05-6726825d.pth, TensorFlow's "
    "inception-2015-12-05.tgz (or its classify_image_graph_def.pb), or their conversion "
    "to .weights.h5."
)


class FIDWeightsNotFound(FileNotFoundError):
    """The FID Inception weights are neither given, nor cached, nor downloadable."""


class FIDWeightsError(ValueError):
    """A file given as the FID Inception weights cannot be read as them."""


def weights_path(source=None, download=True):
    """The path of the converted Keras weights file, converting or downloading if needed.

    Args:
        source: a `.pth` state dict, a TensorFlow `.tgz` archive or `.pb` graph,
            or an already converted `.weights.h5` file. Default: the
            KERAS_GAN_ZOO_FID_WEIGHTS variable, then the cache, then the
            pytorch-fid release file (downloaded and checked against its
            pinned sha256).
        download: whether the last resort may use the network.

    Raises:
        FIDWeightsNotFound: offline with no weights; the message says how to
            get them.
        FIDWeightsError: `source` is not a readable FID weights file.
    """
    source = source or os.environ.get(ENVIRONMENT_VARIABLE)
    if source:
        source = os.fspath(source)
        if not os.path.isfile(source):
            raise FIDWeightsNotFound(f"FID Inception weights file {source!r} does not exist.")
        if source.endswith(".weights.h5"):
            import h5py

            try:
                with h5py.File(source, "r"):
                    pass
            except Exception as error:  # h5py raises OSError, and others on damaged files
                raise FIDWeightsError(
                    f"{source} is not a Keras weights file (HDF5) ({_reason(error)}). "
                    f"{_EXPECTED_FILES}"
                ) from error
            return source
        return convert(source)
    cached = os.path.join(downloads.cache_dir(_CACHE_SUBDIR), _converted_name(PYTORCH_FID_SHA256))
    if _cached_conversion(cached):
        return cached
    if not download:
        raise FIDWeightsNotFound(_how_to_get_them())
    try:
        state_dict_file = downloads.fetch(
            PYTORCH_FID_URL, sha256=PYTORCH_FID_SHA256, cache_subdir=_CACHE_SUBDIR
        )
    except downloads.DownloadError as error:
        raise FIDWeightsNotFound(f"{error}\n\n{_how_to_get_them()}") from error
    return convert(state_dict_file)


def convert(source):
    """Converts a public weights file into a cached Keras weights file; returns its path.

    Done once per distinct file (the cache name carries the file's sha256);
    later calls return the cached conversion. A file that is not the
    published one converts with a warning, since its FID compares with no
    paper.

    Raises:
        FIDWeightsError: `source` cannot be read as FID Inception weights
            (not the format its name says, or without the network's arrays).
    """
    from keras_gan_zoo.metrics import fid_network

    source = os.fspath(source)
    source_hash = downloads.sha256_of(source)
    target = os.path.join(downloads.cache_dir(_CACHE_SUBDIR), _converted_name(source_hash))
    if _cached_conversion(target):
        return target
    if source.endswith((".tgz", ".tar.gz", ".pb")):
        state_dict = read_tensorflow_graph(source)
    else:
        state_dict = read_torch_state_dict(source)
    _check_state_dict(state_dict, source)  # before the network is built: that takes seconds
    if not source.endswith((".tgz", ".tar.gz", ".pb")) and source_hash != PYTORCH_FID_SHA256:
        warnings.warn(
            f"{source} is not pytorch-fid's published weights file (sha256 {source_hash}, "
            f"expected {PYTORCH_FID_SHA256}): FID computed with it compares with no paper.",
            stacklevel=2,
        )
    network = fid_network.fid_inception(weights=None)
    try:
        fid_network.load_torch_state_dict(network, state_dict)
    except ValueError as error:  # a misshapen array
        raise FIDWeightsError(
            f"{source} does not hold the FID Inception weights: {error}"
        ) from error
    with atomic_write(target, suffix=".weights.h5") as temporary:
        network.save_weights(temporary)
    with atomic_write(target + ".sha256") as temporary, open(temporary, "w") as file:
        file.write(downloads.sha256_of(target))
    return target


def read_torch_state_dict(path):
    """A PyTorch state dict file (zip or legacy format) -> {name: float32 NumPy array}.

    `torch.load(weights_only=True)` only rebuilds tensors: no code from the
    file runs.

    Raises:
        FIDWeightsError: the file is not a state dict of tensors.
    """
    try:
        import torch
    except ImportError as error:
        raise ImportError(
            f"Reading {path} needs the torch package (pip install torch; the CPU build "
            f"is enough, and any Keras backend can stay active). Or use TensorFlow's "
            f"archive instead: {TENSORFLOW_GRAPH_URL}"
        ) from error
    try:
        state_dict = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:
        # torch.load fails in many ways on a file that is not its format
        # (RuntimeError, UnpicklingError, EOFError, ...).
        raise FIDWeightsError(
            f"{path} is not a PyTorch state dict file ({_reason(error)}). {_EXPECTED_FILES}"
        ) from error
    if not isinstance(state_dict, dict) or not all(
        isinstance(key, str) and isinstance(value, torch.Tensor)
        for key, value in state_dict.items()
    ):
        raise FIDWeightsError(
            f"{path} holds a {type(state_dict).__name__}, not a state dict (names -> tensors). "
            f"{_EXPECTED_FILES}"
        )
    try:
        return {key: value.float().numpy() for key, value in state_dict.items()}
    except (RuntimeError, TypeError) as error:  # e.g. complex or sparse tensors
        raise FIDWeightsError(
            f"{path} holds tensors that are not real arrays ({_reason(error)})."
        ) from error


def read_tensorflow_graph(path):
    """TensorFlow's `inception-2015-12-05` graph (`.tgz` or `.pb`) -> the PyTorch ports' state dict.

    The graph keeps each weight as a constant named by its place in the
    network (`mixed_10/tower_1/mixed/conv_1/conv2d_params`); `_TORCH_NAMES`
    maps those places to the ports' module names. Kernels are transposed to
    the ports' (out, in, h, w) layout so that one loader serves both files.

    Raises:
        FIDWeightsError: the file is not such an archive or graph.
    """
    try:
        import tensorflow as tf
    except ImportError as error:
        raise ImportError(
            f"Reading {path} needs the tensorflow package. Or use pytorch-fid's file "
            f"instead: {PYTORCH_FID_URL}"
        ) from error

    if path.endswith(".pb"):
        with open(path, "rb") as file:
            serialized = file.read(_GRAPH_MAX_BYTES + 1)
    else:
        serialized = _graph_from_archive(path)
    if len(serialized) > _GRAPH_MAX_BYTES:
        raise FIDWeightsError(
            f"{path}: its graph is larger than {_GRAPH_MAX_BYTES} bytes; the FID Inception "
            f"graph is 95 MB. {_EXPECTED_FILES}"
        )
    try:
        graph = tf.compat.v1.GraphDef()
        graph.ParseFromString(serialized)
        constants = {
            node.name: tf.make_ndarray(node.attr["value"].tensor)
            for node in graph.node
            if node.op == "Const"
        }
    except Exception as error:
        # Protocol buffers and TensorFlow raise many kinds of errors on bytes
        # that are not a GraphDef (DecodeError, TypeError, ValueError, ...).
        raise FIDWeightsError(
            f"{path} is not a TensorFlow graph ({_reason(error)}). {_EXPECTED_FILES}"
        ) from error
    state_dict = {}
    for place, module in _TORCH_NAMES.items():
        kernel = _constant(constants, f"{place}/conv2d_params", path, ndim=4)
        state_dict[f"{module}.conv.weight"] = kernel.transpose(3, 2, 0, 1)
        for tf_name, torch_name in _BATCH_NORM.items():
            state_dict[f"{module}.bn.{torch_name}"] = _constant(
                constants, f"{place}/batchnorm/{tf_name}", path, ndim=1
            )
    state_dict["fc.weight"] = _constant(constants, "softmax/weights", path, ndim=2).T
    state_dict["fc.bias"] = _constant(constants, "softmax/biases", path, ndim=1)
    return state_dict


def _graph_from_archive(path):
    """The bytes of the graph member of a `.tgz` archive."""
    try:
        with tarfile.open(path) as archive:
            # Stop at the first match: no need to read (or decompress) the rest.
            member = next((m for m in archive if m.name.endswith(_GRAPH_MEMBER)), None)
            if member is None:
                raise FIDWeightsError(f"{path} does not contain {_GRAPH_MEMBER}. {_EXPECTED_FILES}")
            if not member.isfile() or member.size > _GRAPH_MAX_BYTES:
                raise FIDWeightsError(
                    f"{path}: its {member.name} is not a file of at most {_GRAPH_MAX_BYTES} "
                    f"bytes; the FID Inception graph is 95 MB. {_EXPECTED_FILES}"
                )
            return archive.extractfile(member).read()
    except FIDWeightsError:
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        # A file that is not a (complete) gzip-compressed tar archive.
        raise FIDWeightsError(
            f"{path} is not a readable .tgz archive ({_reason(error)}). {_EXPECTED_FILES}"
        ) from error


def _constant(constants, name, path, ndim):
    """The graph's constant `name` as float32, checked to have `ndim` dimensions."""
    if name not in constants:
        raise FIDWeightsError(
            f"{path} is not the FID Inception graph: it has no constant {name!r}."
        )
    try:
        value = np.asarray(constants[name], dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise FIDWeightsError(
            f"{path}: its constant {name!r} is not a numeric array ({error})."
        ) from error
    if value.ndim != ndim:
        raise FIDWeightsError(
            f"{path}: its constant {name!r} has shape {value.shape}; the FID Inception graph's "
            f"has {ndim} dimensions."
        )
    return value


def _expected_arrays():
    """The names of the arrays a FID Inception state dict must hold."""
    names = {"fc.weight"}
    for module in _TORCH_NAMES.values():
        names.add(f"{module}.conv.weight")
        names.update(f"{module}.bn.{torch_name}" for torch_name in _BATCH_NORM.values())
    return names


def _check_state_dict(state_dict, source):
    """Refuses a state dict without the FID Inception arrays, or with NaN or inf in them."""
    ignored = {"fc.bias"}
    arrays = {
        key: value for key, value in state_dict.items() if not key.endswith("num_batches_tracked")
    }
    missing = sorted(_EXPECTED_ARRAYS - set(arrays))
    unexpected = sorted(set(arrays) - _EXPECTED_ARRAYS - ignored)
    if missing or unexpected:
        raise FIDWeightsError(
            f"{source} does not hold the FID Inception weights: {len(missing)} arrays missing "
            f"(first: {missing[:3]}), {len(unexpected)} unexpected (first: {unexpected[:3]}). "
            f"{_EXPECTED_FILES}"
        )
    for key in sorted(_EXPECTED_ARRAYS):
        if not np.all(np.isfinite(arrays[key])):
            raise FIDWeightsError(f"{source}: its array {key!r} has NaN or inf values.")


def _reason(error):
    """The error's type and first sentence: the libraries' advice that follows is
    about their own use (e.g. torch's to load with `weights_only=False`), not ours."""
    text = str(error).strip().split("\n")[0].split(". ")[0].rstrip(".:")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _tower(prefix, modules):
    """{TF place: module} for convolutions named prefix/conv, prefix/conv_1, ..."""
    return {
        f"{prefix}/conv" + (f"_{index}" if index else ""): module
        for index, module in enumerate(modules)
    }


def _graph_to_port_names():
    # The TF graph numbers its blocks mixed, mixed_1, ... mixed_10 and its
    # branches tower, tower_1, tower_2; the ports name them after the paper.
    branches = {
        "a": {
            "conv": "branch1x1",
            **_tower("tower", ["branch5x5_1", "branch5x5_2"]),
            **_tower("tower_1", ["branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"]),
            "tower_2/conv": "branch_pool",
        },
        "b": {
            "conv": "branch3x3",
            **_tower("tower", ["branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"]),
        },
        "c": {
            "conv": "branch1x1",
            **_tower("tower", [f"branch7x7_{i}" for i in range(1, 4)]),
            **_tower("tower_1", [f"branch7x7dbl_{i}" for i in range(1, 6)]),
            "tower_2/conv": "branch_pool",
        },
        "d": {
            **_tower("tower", ["branch3x3_1", "branch3x3_2"]),
            **_tower("tower_1", [f"branch7x7x3_{i}" for i in range(1, 5)]),
        },
        "e": {
            "conv": "branch1x1",
            "tower/conv": "branch3x3_1",
            **_tower("tower/mixed", ["branch3x3_2a", "branch3x3_2b"]),
            **_tower("tower_1", ["branch3x3dbl_1", "branch3x3dbl_2"]),
            **_tower("tower_1/mixed", ["branch3x3dbl_3a", "branch3x3dbl_3b"]),
            "tower_2/conv": "branch_pool",
        },
    }
    blocks = [
        ("Mixed_5b", "a"), ("Mixed_5c", "a"), ("Mixed_5d", "a"), ("Mixed_6a", "b"),
        ("Mixed_6b", "c"), ("Mixed_6c", "c"), ("Mixed_6d", "c"), ("Mixed_6e", "c"),
        ("Mixed_7a", "d"), ("Mixed_7b", "e"), ("Mixed_7c", "e"),
    ]  # fmt: skip
    names = {
        "conv": "Conv2d_1a_3x3",
        "conv_1": "Conv2d_2a_3x3",
        "conv_2": "Conv2d_2b_3x3",
        "conv_3": "Conv2d_3b_1x1",
        "conv_4": "Conv2d_4a_3x3",
    }
    for index, (block, kind) in enumerate(blocks):
        graph_block = "mixed" + (f"_{index}" if index else "")
        for place, branch in branches[kind].items():
            names[f"{graph_block}/{place}"] = f"{block}.{branch}"
    return names


_TORCH_NAMES = _graph_to_port_names()
_BATCH_NORM = {
    "gamma": "weight",
    "beta": "bias",
    "moving_mean": "running_mean",
    "moving_variance": "running_var",
}
_EXPECTED_ARRAYS = _expected_arrays()


def _converted_name(source_hash):
    return f"fid_inception-{source_hash[:8]}.weights.h5"


def _cached_conversion(path):
    """`path` if a complete, intact conversion is cached there; else None.

    The sha256 is recorded after the weights are written, so weights without
    one are the leftovers of an interrupted conversion and are removed.
    Raises `IntegrityError` (and deletes the file) if it has been damaged.
    """
    recorded = path + ".sha256"
    if not os.path.exists(recorded):
        if os.path.exists(path):
            os.remove(path)
        return None
    with open(recorded) as file:
        downloads.verify_file(path, file.read().strip(), delete=True)
    return path


def _how_to_get_them():
    cache = downloads.cache_dir(_CACHE_SUBDIR)
    return (
        "FID needs the weights of the FID Inception network (the 2015-12-05 TensorFlow "
        "graph), and they are not on this machine. On a machine with internet, download "
        f"either\n  {PYTORCH_FID_URL}\n  (sha256 {PYTORCH_FID_SHA256}), or\n"
        f"  {TENSORFLOW_GRAPH_URL}\nthen copy it here and either set {ENVIRONMENT_VARIABLE}="
        f"/path/to/that/file, pass its path as `weights=`, or put the .pth file in {cache}. "
        "It is converted to Keras once and cached."
    )
