"""The whole FID pipeline against the published golden value, on the real weights and data.

Gated: it runs only where the FID Inception weights and CIFAR-10 are on disk
(neither can be downloaded on the machines this project is built on). On a
machine with internet, one command confirms everything end to end:

    python -c "import keras; keras.datasets.cifar10.load_data()"   # CIFAR-10, python version
    KERAS_GAN_ZOO_FID_WEIGHTS=/path/to/pt_inception-2015-12-05-6726825d.pth \\
        bash tests/run_all_backends.sh tests/metrics/test_fid_golden.py

Golden value (torch-fidelity's test, which agrees with TTUR to < 1e-5
relative): 5,000 CIFAR-10 training images against 5,000 test images, each
subset `np.random.RandomState(2020).choice(N, 5000, replace=False)` of its
split in the original file order, "tf_legacy" preprocessing, pool3 features,
FID 10.3233274. 10,000 images through Inception take several minutes on a CPU.
"""

import os
import pickle

import numpy as np
import pytest

from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics import fid_weights

GOLDEN_FID = 10.3233274
CIFAR10_DIR = os.environ.get(
    "KERAS_GAN_ZOO_CIFAR10",
    os.path.join(os.path.expanduser("~"), ".keras", "datasets", "cifar-10-batches-py"),
)


def _cifar10_split(files):
    """uint8 images (n, 32, 32, 3) in the files' order (torchvision's and Keras's order)."""
    arrays = []
    for name in files:
        with open(os.path.join(CIFAR10_DIR, name), "rb") as file:
            arrays.append(pickle.load(file, encoding="bytes")[b"data"])
    return np.concatenate(arrays).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)


def _subset(images):
    indices = np.random.RandomState(2020).choice(len(images), 5000, replace=False)
    return images[indices]


@pytest.fixture(scope="module")
def inception():
    try:
        fid_weights.weights_path(download=False)
    except fid_weights.FIDWeightsNotFound:
        pytest.skip(
            "gated golden test: the FID Inception weights are not on this machine (set "
            f"{fid_weights.ENVIRONMENT_VARIABLE}; see the module docstring)"
        )
    if not os.path.exists(os.path.join(CIFAR10_DIR, "test_batch")):
        pytest.skip(
            f"gated golden test: CIFAR-10 (python version) not found in {CIFAR10_DIR} "
            "(set KERAS_GAN_ZOO_CIFAR10)"
        )
    return evaluation.inception_extractor("tf_legacy")


def test_cifar10_train_vs_test_fid_equals_the_golden_value(inception):
    train = _subset(_cifar10_split([f"data_batch_{i}" for i in range(1, 6)]))
    test = _subset(_cifar10_split(["test_batch"]))
    fid = evaluation.evaluate(train, test, extractor=inception, batch_size=100)["fid"]
    assert fid == pytest.approx(GOLDEN_FID, rel=1e-4)
