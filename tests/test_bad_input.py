"""Bad input gets a clear error that names the problem."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import random_images

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint


@pytest.fixture
def gan():
    model = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=8, latent_dim=8, seed=0)
    model.compile()
    return model


def test_wrong_image_shape_names_both_shapes(gan):
    with pytest.raises(ValueError, match=r"\(32, 32, 3\).*\(28, 28, 1\)"):
        gan.fit(random_images(64, shape=(32, 32, 3)), batch_size=32, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices(random_images(64, (32, 32, 3))).batch(32)
    with pytest.raises(ValueError, match=r"\(32, 32, 3\).*\(28, 28, 1\)"):
        gan.fit(dataset, verbose=0)


def test_wrong_shape_inside_the_step_names_both_shapes(gan):
    with pytest.raises(ValueError, match=r"\(2, 14, 14, 1\).*\(28, 28, 1\)"):
        gan.prepare_batch(keras.ops.zeros((2, 14, 14, 1)))


def test_values_outside_the_data_range_are_refused(gan):
    pixels = np.random.default_rng(0).integers(0, 256, (64, 28, 28, 1)).astype("float32")
    with pytest.raises(ValueError, match=r"must lie in \[-1.0, 1.0\].*\[0, 255\]"):
        gan.fit(pixels, batch_size=32, verbose=0)
    # In a tf.data pipeline the check runs on every batch, inside the pipeline.
    dataset = tf.data.Dataset.from_tensor_slices(pixels).batch(32)
    with pytest.raises(Exception, match=r"must lie in \[-1.0, 1.0\]"):
        gan.fit(dataset, verbose=0)
    assert int(gan.d_optimizer.iterations) == 0


def test_empty_data_is_refused(gan):
    with pytest.raises(ValueError, match="empty"):
        gan.fit(np.zeros((0, 28, 28, 1), "float32"), batch_size=32, verbose=0)
    empty = tf.data.Dataset.from_tensor_slices(random_images(16)).batch(32, drop_remainder=True)
    with pytest.raises(ValueError, match="empty"):
        gan.fit(empty, verbose=0)
    # Unknown cardinality: found out by looking for the first batch.
    filtered = tf.data.Dataset.from_tensor_slices(random_images(64)).filter(lambda x: False)
    with pytest.raises(ValueError, match="empty"):
        gan.fit(filtered.batch(32), verbose=0)
    # Any other input that yields nothing is caught when fit() ends.
    guard = keras_gan_zoo.engine.TrainingGuard()
    guard.on_train_begin()
    with pytest.raises(ValueError, match="ran no training step"):
        guard.on_train_end()
    with pytest.raises(ValueError, match="fewer than one batch"):
        keras_gan_zoo.datasets.from_arrays(np.zeros((10, 28, 28), np.uint8), batch_size=32)


def test_nan_loss_stops_training_and_keeps_the_last_good_checkpoint(gan, tmp_path):
    checkpoint = GANCheckpoint(tmp_path, keep=None)
    data = random_images(64)
    gan.fit(data, batch_size=32, epochs=1, callbacks=[checkpoint], verbose=0)
    good = keras.ops.convert_to_numpy(gan.generator.weights[0]).copy()

    # An absurd learning rate makes the weights, then the losses, blow up.
    gan.d_optimizer.learning_rate.assign(1e30)
    gan.g_optimizer.learning_rate.assign(1e30)
    with pytest.raises(keras_gan_zoo.NonFiniteLossError, match=r"(d|g)_loss became (nan|inf)"):
        gan.fit(data, batch_size=32, epochs=4, initial_epoch=1, callbacks=[checkpoint], verbose=0)
    assert os.listdir(tmp_path) == ["epoch_0001.keras"]
    restored, epoch = GANCheckpoint.restore(tmp_path)
    assert epoch == 1
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(restored.generator.weights[0]), good)


def test_unknown_dataset_path_is_named():
    with pytest.raises(ValueError, match="does not exist"):
        keras_gan_zoo.datasets.load("./no/such/folder")
