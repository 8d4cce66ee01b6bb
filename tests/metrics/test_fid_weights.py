"""The FID Inception weights: both public formats convert, download is verified, and
without weights FID refuses with instructions.

The real files cannot be downloaded here, so random weights stand in for them,
written in each public format; the gated golden test (test_fid_golden.py)
checks the real ones.

Everything here is files (reading, converting, verifying, caching); the
network the weights load into is checked on every backend in
test_fid_inception.py, so the module runs once (`neutral`).
"""

import gzip
import io
import os
import tarfile

import keras
import numpy as np
import pytest
from test_fid_inception import _random_state_dict

from keras_gan_zoo.metrics import fid_network
from keras_gan_zoo.metrics import fid_weights
from keras_gan_zoo.utils import downloads

pytestmark = pytest.mark.neutral


@pytest.fixture(scope="module")
def random_weights():
    """(network with random weights, those weights as a ports' state dict)."""
    network = fid_network.fid_inception(weights=None)
    state = _random_state_dict(network, seed=3)
    fid_network.load_torch_state_dict(network, state)
    return network, state


def _save_pth(state, path, zip_format=True):
    import torch

    tensors = {key: torch.tensor(value) for key, value in state.items()}
    torch.save(tensors, path, _use_new_zipfile_serialization=zip_format)
    return os.fspath(path)


def _save_tensorflow_graph(state, path):
    """Writes `state` as the TF graph's constants, packed like inception-2015-12-05.tgz."""
    import tensorflow as tf

    graph = tf.compat.v1.GraphDef()

    def constant(name, value):
        node = graph.node.add(name=name, op="Const")
        node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(value.astype("float32")))

    for place, module in fid_weights._TORCH_NAMES.items():
        constant(f"{place}/conv2d_params", state[f"{module}.conv.weight"].transpose(2, 3, 1, 0))
        for tf_name, torch_name in fid_weights._BATCH_NORM.items():
            constant(f"{place}/batchnorm/{tf_name}", state[f"{module}.bn.{torch_name}"])
    constant("softmax/weights", state["fc.weight"].T)
    constant("softmax/biases", state["fc.bias"])
    graph_file = path.parent / "classify_image_graph_def.pb"
    graph_file.write_bytes(graph.SerializeToString())
    with tarfile.open(path, "w:gz") as archive:
        archive.add(graph_file, arcname="./classify_image_graph_def.pb")
    return os.fspath(path)


def _assert_same_weights(network, reference):
    for ours, theirs in zip(network.weights, reference.weights, strict=True):
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), err_msg=ours.path
        )


def test_graph_names_follow_the_published_conversion_table():
    # Entries of the table the PyTorch ports were converted with.
    names = fid_weights._TORCH_NAMES
    assert len(names) == 94  # every convolution of the graph
    assert names["conv_4"] == "Conv2d_4a_3x3"
    assert names["mixed/tower/conv_1"] == "Mixed_5b.branch5x5_2"
    assert names["mixed_3/tower/conv_2"] == "Mixed_6a.branch3x3dbl_3"
    assert names["mixed_7/tower_1/conv_4"] == "Mixed_6e.branch7x7dbl_5"
    assert names["mixed_8/tower_1/conv_3"] == "Mixed_7a.branch7x7x3_4"
    assert names["mixed_9/tower/mixed/conv_1"] == "Mixed_7b.branch3x3_2b"
    assert names["mixed_10/tower_1/mixed/conv"] == "Mixed_7c.branch3x3dbl_3a"
    assert names["mixed_10/tower_2/conv"] == "Mixed_7c.branch_pool"


@pytest.mark.parametrize("file_format", ["pth_zip", "pth_legacy", "tensorflow_tgz"])
def test_both_public_formats_convert_to_the_same_network(
    random_weights, file_format, cache, tmp_path, monkeypatch
):
    network, state = random_weights
    if file_format == "tensorflow_tgz":
        source = _save_tensorflow_graph(state, tmp_path / "inception-2015-12-05.tgz")
    else:
        source = _save_pth(state, tmp_path / "weights.pth", zip_format=file_format == "pth_zip")
    monkeypatch.setenv(fid_weights.ENVIRONMENT_VARIABLE, source)
    if file_format == "tensorflow_tgz":
        converted = fid_weights.weights_path()
    else:
        with pytest.warns(UserWarning, match="not pytorch-fid's published weights"):
            converted = fid_weights.weights_path()
    assert converted.startswith(os.fspath(cache)) and converted.endswith(".weights.h5")
    _assert_same_weights(fid_network.fid_inception(), network)
    # Converted once: the second call reuses the cached file.
    modified = os.path.getmtime(converted)
    assert fid_weights.convert(source) == converted
    assert os.path.getmtime(converted) == modified


def test_download_is_verified_converted_cached_and_reused_offline(
    random_weights, cache, served, monkeypatch
):
    network, state = random_weights
    published = _save_pth(state, os.path.join(served.root, "pt_inception.pth"))
    monkeypatch.delenv(fid_weights.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(fid_weights, "PYTORCH_FID_URL", f"{served.url}/pt_inception.pth")
    monkeypatch.setattr(fid_weights, "PYTORCH_FID_SHA256", downloads.sha256_of(published))
    converted = fid_weights.weights_path()
    _assert_same_weights(fid_network.fid_inception(), network)
    served.stop()  # offline from here on
    assert fid_weights.weights_path() == converted
    # A corrupted conversion is refused and deleted, never used.
    with open(converted, "r+b") as file:
        file.seek(os.path.getsize(converted) // 2)
        file.write(b"\x00" * 64)
    with pytest.raises(downloads.IntegrityError, match="corrupt or has been tampered with"):
        fid_weights.weights_path()
    assert not os.path.exists(converted)


def test_a_tampered_download_is_refused(random_weights, cache, served, monkeypatch):
    _, state = random_weights
    _save_pth(state, os.path.join(served.root, "pt_inception.pth"))
    monkeypatch.delenv(fid_weights.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(fid_weights, "PYTORCH_FID_URL", f"{served.url}/pt_inception.pth")
    with pytest.raises(downloads.IntegrityError, match=fid_weights.PYTORCH_FID_SHA256):
        fid_weights.weights_path()
    assert not list(cache.rglob("*.weights.h5"))


def test_without_weights_fid_refuses_and_says_how_to_get_them(cache, monkeypatch):
    assert fid_weights.PYTORCH_FID_URL.endswith("/pt_inception-2015-12-05-6726825d.pth")
    monkeypatch.delenv(fid_weights.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(fid_weights, "PYTORCH_FID_URL", "http://127.0.0.1:9/pt_inception.pth")
    with pytest.raises(fid_weights.FIDWeightsNotFound) as raised:
        fid_network.fid_inception()
    message = str(raised.value)
    assert fid_weights.ENVIRONMENT_VARIABLE in message
    assert fid_weights.PYTORCH_FID_URL in message
    assert fid_weights.TENSORFLOW_GRAPH_URL in message
    assert fid_weights.PYTORCH_FID_SHA256 in message
    with pytest.raises(fid_weights.FIDWeightsNotFound, match="does not exist"):
        fid_weights.weights_path("/nonexistent/pt_inception.pth")


def test_a_file_that_is_not_the_graph_is_named(cache, tmp_path):
    import tensorflow as tf

    graph = tf.compat.v1.GraphDef()
    node = graph.node.add(name="conv/conv2d_params", op="Const")
    node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(np.zeros((3, 3, 3, 32), "float32")))
    path = tmp_path / "other.pb"
    path.write_bytes(graph.SerializeToString())
    with pytest.raises(ValueError, match="no constant 'conv/batchnorm/gamma'"):
        fid_weights.read_tensorflow_graph(os.fspath(path))


def _tgz(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _gzip(data):
    return gzip.compress(data)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("weights.pth", b"<html>not found</html>", "is not a PyTorch state dict file"),
        ("weights.pth", b"", "is not a PyTorch state dict file"),
        ("weights.pth", b"PK\x03\x04" + b"\x00" * 100, "is not a PyTorch state dict file"),
        ("inception.tgz", b"<html>not found</html>", "is not a readable .tgz archive"),
        ("inception.tgz", _gzip(b"not a tar archive" * 100), "is not a readable .tgz archive"),
        ("inception.tgz", _gzip(b"\x00" * 2048), "does not contain classify_image_graph_def.pb"),
        ("graph.pb", b"\xff" * 64, "is not a TensorFlow graph"),
        ("graph.pb", b"", "is not the FID Inception graph: it has no constant"),
        ("fid.weights.h5", b"<html>not found</html>", r"is not a Keras weights file \(HDF5\)"),
    ],
    ids=[
        "pth-html",
        "pth-empty",
        "pth-broken-zip",
        "tgz-html",
        "tgz-gzip-not-tar",
        "tgz-empty-tar",
        "pb-garbage",
        "pb-empty",
        "h5-html",
    ],
)
def test_garbage_given_as_fid_weights_is_a_fid_weights_error(
    cache, tmp_path, monkeypatch, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(fid_weights.FIDWeightsError, match=message) as error:
        fid_weights.weights_path(path)
    assert str(path) in str(error.value)
    monkeypatch.setenv(fid_weights.ENVIRONMENT_VARIABLE, str(path))
    with pytest.raises(fid_weights.FIDWeightsError, match=message):
        fid_weights.weights_path()
    assert not list(cache.rglob("*.weights.h5"))


def test_archives_and_state_dicts_without_the_network_are_named(cache, tmp_path):
    import torch

    archive = _tgz(tmp_path / "other.tgz", {"readme.txt": b"hello"})
    with pytest.raises(fid_weights.FIDWeightsError, match="does not contain"):
        fid_weights.weights_path(archive)
    graph_member = _tgz(tmp_path / "bad.tgz", {"x/classify_image_graph_def.pb": b"\xff" * 64})
    with pytest.raises(fid_weights.FIDWeightsError, match="is not a TensorFlow graph"):
        fid_weights.weights_path(graph_member)

    import tensorflow as tf

    graph = tf.compat.v1.GraphDef()
    node = graph.node.add(name="conv/conv2d_params", op="Const")  # a kernel that is not 4-D
    node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(np.zeros(2, "float32")))
    wrong_rank = tmp_path / "wrong_rank.pb"
    wrong_rank.write_bytes(graph.SerializeToString())
    with pytest.raises(fid_weights.FIDWeightsError, match=r"'conv/conv2d_params' has shape \(2,\)"):
        fid_weights.weights_path(wrong_rank)

    not_a_dict = tmp_path / "list.pth"
    torch.save([torch.zeros(3)], not_a_dict)
    with pytest.raises(fid_weights.FIDWeightsError, match="holds a list, not a state dict"):
        fid_weights.weights_path(not_a_dict)
    other_network = tmp_path / "resnet.pth"
    torch.save({"layer1.weight": torch.zeros(3, 3)}, other_network)
    with pytest.raises(
        fid_weights.FIDWeightsError, match="does not hold the FID Inception weights"
    ):
        fid_weights.weights_path(other_network)


def test_a_state_dict_with_nan_is_refused(random_weights, cache, tmp_path):
    _, state = random_weights
    broken = dict(state)
    broken["Mixed_6b.branch1x1.conv.weight"] = np.full_like(
        state["Mixed_6b.branch1x1.conv.weight"], np.nan
    )
    with pytest.raises(fid_weights.FIDWeightsError, match="Mixed_6b.branch1x1.conv.weight.*NaN"):
        fid_weights.weights_path(_save_pth(broken, tmp_path / "nan.pth"))
    assert not list(cache.rglob("*.weights.h5"))
