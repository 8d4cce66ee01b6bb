"""Property tests for the readers a user points at arbitrary files.

Whatever bytes a preset's `metadata.json` or `config.json`, or a file given as
the FID Inception weights, holds, the public loaders either return a result
or raise the documented error (`PresetError`, `IntegrityError`,
`FIDWeightsError`): never another exception, never a hang (each example has a
deadline). The bytes are drawn at random, as JSON of any shape, and as the
real file with one value changed, so that the checks behind the JSON parser
are reached too.
"""

import copy
import gzip
import io
import json
import os
import tarfile
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import keras_gan_zoo
from keras_gan_zoo import presets
from keras_gan_zoo.metrics import fid_weights
from keras_gan_zoo.utils import downloads

pytestmark = pytest.mark.neutral

# The deadline flags a reader that hangs or crawls; it is generous because the
# test machines are shared. No example database: nothing is written into the tree.
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=timedelta(seconds=10),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 64)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=16),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=16,
)
json_bytes = json_values.map(lambda value: json.dumps(value).encode())


@pytest.fixture(scope="module")
def preset_folder(tmp_path_factory):
    """A small, valid preset, copied for each example."""
    model = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4)
    return keras_gan_zoo.save_to_preset(
        model,
        tmp_path_factory.mktemp("base") / "preset",
        description="property tests",
        dataset="none",
        license="Apache-2.0",
    )


def _copy_with(base, scratch_root, name, content, rehash=False):
    """A copy of the preset at `base` whose `name` file holds `content`."""
    folder = Path(tempfile.mkdtemp(dir=scratch_root))
    for file in Path(base).iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / name).write_bytes(content)
    if rehash:  # so that the file reaches its reader instead of failing its sha256
        metadata = json.loads((folder / "metadata.json").read_text())
        metadata["files"][name] = downloads.sha256_of(folder / name)
        (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


def _leaves(value, path=()):
    """The paths of the values inside a JSON value."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, (*path, index))


def _replaced(value, path, new):
    if not path:
        return new
    value = copy.deepcopy(value)
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return value


def _metadata_or_error(folder):
    try:
        metadata = presets.read_metadata(folder)
    except (presets.PresetError, downloads.IntegrityError):
        return
    assert isinstance(metadata, dict) and metadata["format"] == "keras_gan_zoo.preset"


def _model_or_error(folder):
    try:
        model, _ = presets.load_model(folder)
    except presets.PresetError:
        return
    assert isinstance(model, keras_gan_zoo.GAN)


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(content=st.binary(max_size=2048) | json_bytes)
def test_any_metadata_gives_metadata_or_a_preset_error(preset_folder, tmp_path_factory, content):
    folder = _copy_with(preset_folder, tmp_path_factory.getbasetemp(), "metadata.json", content)
    _metadata_or_error(folder)


# The values the metadata reader looks at, and a few it passes on.
METADATA_PATHS = [
    ("format",),
    ("format_version",),
    ("files",),
    ("files", "config.json"),
    ("files", "model.weights.h5"),
    ("architecture",),
    ("latent_dim",),
    (),
]


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(path=st.sampled_from(METADATA_PATHS), value=json_values)
def test_metadata_with_any_value_changed_gives_metadata_or_a_preset_error(
    preset_folder, tmp_path_factory, path, value
):
    original = json.loads((Path(preset_folder) / "metadata.json").read_text())
    content = json.dumps(_replaced(original, path, value)).encode()
    folder = _copy_with(preset_folder, tmp_path_factory.getbasetemp(), "metadata.json", content)
    _metadata_or_error(folder)


model_like_configs = st.fixed_dictionaries(
    {
        "class_name": st.sampled_from(["GAN", "DCGAN", "Dense", "Functional", "Sequential"])
        | st.text(max_size=12),
        "config": st.dictionaries(st.text(max_size=12), json_values, max_size=4),
    },
    optional={"module": st.sampled_from(["keras_gan_zoo.models", "keras.layers", "builtins"])},
).map(lambda value: json.dumps(value).encode())


@PROPERTY_SETTINGS
@given(content=st.binary(max_size=2048) | json_bytes | model_like_configs)
def test_any_config_gives_a_model_or_a_preset_error(preset_folder, tmp_path_factory, content):
    folder = _copy_with(
        preset_folder, tmp_path_factory.getbasetemp(), "config.json", content, rehash=True
    )
    _model_or_error(folder)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_config_with_any_value_changed_gives_a_model_or_a_preset_error(
    preset_folder, tmp_path_factory, data
):
    original = json.loads((Path(preset_folder) / "config.json").read_text())
    path = data.draw(st.sampled_from(sorted(_leaves(original), key=repr)), label="path")
    value = data.draw(json_values, label="value")
    content = json.dumps(_replaced(original, path, value)).encode()
    folder = _copy_with(
        preset_folder, tmp_path_factory.getbasetemp(), "config.json", content, rehash=True
    )
    _model_or_error(folder)


# === FID weight files ===


def _tgz_with_graph(graph_bytes):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("./classify_image_graph_def.pb")
        info.size = len(graph_bytes)
        archive.addfile(info, io.BytesIO(graph_bytes))
    return buffer.getvalue()


def _torch_file(value):
    import torch

    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def _graph_with_constants(names):
    import tensorflow as tf

    graph = tf.compat.v1.GraphDef()
    for name in names:
        node = graph.node.add(name=name, op="Const")
        node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto([1.0, 2.0]))
    return graph.SerializeToString()


def _flip_bytes(content, data):
    """`content` with a few bytes overwritten at random places (a damaged file)."""
    if not content:
        return content
    content = bytearray(content)
    for _ in range(data.draw(st.integers(1, 4), label="damage")):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    return bytes(content)


@pytest.fixture(scope="module")
def torch_imported():
    pytest.importorskip("torch")  # imported once, outside the examples' deadline


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(data=st.data())
def test_any_fid_weights_file_gives_weights_or_a_fid_weights_error(
    torch_imported, tmp_path_factory, data, monkeypatch_cache
):
    import torch

    suffix = data.draw(st.sampled_from([".pth", ".tgz", ".pb", ".weights.h5"]), label="suffix")
    tensors = st.dictionaries(
        st.sampled_from(sorted(fid_weights._EXPECTED_ARRAYS)[:6]) | st.text(max_size=12),
        st.integers(0, 3).map(lambda n: torch.zeros(n)),
        max_size=4,
    )
    structured = {
        ".pth": st.one_of(tensors, st.lists(st.integers()), st.integers()).map(_torch_file),
        ".tgz": st.binary(max_size=512).map(_tgz_with_graph) | st.binary().map(gzip.compress),
        ".pb": st.lists(
            st.sampled_from(["softmax/biases", "conv/conv2d_params"]) | st.text(max_size=12),
            max_size=4,
        ).map(_graph_with_constants),
        ".weights.h5": st.binary(max_size=512).map(lambda b: b"\x89HDF\r\n\x1a\n" + b),
    }[suffix]
    content = data.draw(st.binary(max_size=4096) | structured, label="content")
    if data.draw(st.booleans(), label="damaged"):
        content = _flip_bytes(content, data)
    path = os.path.join(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()), "weights" + suffix)
    Path(path).write_bytes(content)
    try:
        converted = fid_weights.weights_path(path)
    except fid_weights.FIDWeightsError:
        return
    assert os.path.isfile(converted)


@pytest.fixture(scope="module")
def monkeypatch_cache(tmp_path_factory):
    """A download cache of this module's own (conversions would land there)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KERAS_GAN_ZOO_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield
