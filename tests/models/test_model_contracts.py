"""The contract every registered model keeps, checked on its tiny configuration.

Build, one `fit` step, config and `.keras` round trips, a preset round trip,
bad input, and sampling: one model per name for the whole module, trained
once, shared by the checks.
"""

import copy
import dataclasses
import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import random_images

import keras_gan_zoo
from keras_gan_zoo.models.registry import get_model_entry

BATCH = 8
# One sample count for every check: on JAX each new shape is compiled again.
SAMPLES = 4


@pytest.fixture(autouse=True)
def _fresh_keras_session():
    # Overrides conftest's: the module shares one model per name across its
    # tests, so layer names are not reset between them.
    keras.utils.set_random_seed(0)
    yield


@dataclasses.dataclass
class Trained:
    """A registered model's tiny configuration after one `fit` step."""

    name: str
    model: keras.Model
    history: dict
    folder: object


@pytest.fixture(scope="module", params=keras_gan_zoo.list_models())
def trained(request, tmp_path_factory):
    keras.config.disable_interactive_logging()
    keras.utils.set_random_seed(0)
    model = get_model_entry(request.param).build_tiny()
    model.compile()
    history = model.fit(*_fit_data(model), batch_size=BATCH, epochs=1, verbose=0).history
    return Trained(request.param, model, history, tmp_path_factory.mktemp(request.param))


def _fit_data(model, images=None):
    """fit()'s data for `model`: images, with labels for a conditional model."""
    images = random_images(BATCH, model.data_shape) if images is None else images
    if model.batch_spec.num_classes is None:
        return (images,)
    return images, np.arange(len(images), dtype="int32") % model.batch_spec.num_classes


def _generator_inputs(model, n, seed):
    """What the model's sampling network (a GAN's G, an AAE's decoder) takes for `n` host draws."""
    prior = model.sampler().prior
    return prior.network_inputs(prior.sample_numpy(n, seed=seed))


def _same_weights(got, expected, what):
    assert len(got) == len(expected), what
    for a, b in zip(got, expected):
        assert a.path == b.path or a.name == b.name, (what, a.path, b.path)
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), err_msg=a.path
        )


def _model_weights(model):
    # Keras saves no layer's dropout seed generator (the model's own is saved).
    return [w for w in model.weights if "seed_generator" not in w.path]


def test_one_fit_step_logs_finite_declared_losses(trained):
    model = trained.model
    declared = set()
    for player in model.players():
        declared.add(f"{player.prefix}_loss")
        declared.update(f"{player.prefix}_{name}" for name in player.log_names)
    assert set(trained.history) == declared
    for name, values in trained.history.items():
        assert len(values) == 1 and np.isfinite(values[0]), (name, values)
    assert int(model.optimizer.iterations) == 1


def test_config_round_trip(trained):
    model = trained.model
    config = model.get_config()
    clone = type(model).from_config(copy.deepcopy(config))
    assert clone.get_config() == config
    # Same architecture: with the trained weights, the same samples.
    clone.set_weights(model.get_weights())
    inputs = _generator_inputs(model, SAMPLES, seed=1)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(clone.sampler().network(inputs, training=False)),
        keras.ops.convert_to_numpy(model.sampler().network(inputs, training=False)),
    )


def test_keras_file_round_trip(trained):
    model = trained.model
    path = trained.folder / f"{trained.name}.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is type(model)
    _same_weights(_model_weights(restored), _model_weights(model), "model")
    for player in model.players():
        attribute = f"{player.prefix}_optimizer"
        saved, loaded = getattr(model, attribute), getattr(restored, attribute)
        _same_weights(loaded.variables, saved.variables, attribute)
    np.testing.assert_array_equal(
        restored.generate(SAMPLES, seed=3), model.generate(SAMPLES, seed=3)
    )


def test_preset_round_trip(trained):
    model = trained.model
    folder = keras_gan_zoo.save_to_preset(
        model,
        trained.folder / "preset",
        description=f"tiny {trained.name}",
        dataset="random images",
        license="Apache-2.0",
        overwrite=True,
    )
    generator = keras_gan_zoo.load_generator(folder)
    assert generator.data_range == model.data_range
    assert generator.num_classes == model.num_classes
    expected_names = (
        None if model.num_classes is None else [str(c) for c in range(model.num_classes)]
    )
    assert generator.metadata["class_names"] == expected_names
    np.testing.assert_array_equal(
        generator.generate(SAMPLES, seed=3), model.generate(SAMPLES, seed=3)
    )


def test_wrong_image_shape_is_named(trained):
    model = trained.model
    wrong = (8, 8, 1)
    expected = re.escape(f"examples of shape {wrong}") + ".*" + re.escape(str(model.data_shape))
    with pytest.raises(ValueError, match=expected):
        model.fit(random_images(BATCH, wrong), batch_size=BATCH, verbose=0)


def test_data_outside_the_range_is_named(trained):
    model = trained.model
    low, high = model.data_range  # every image model declares one
    pixels = (random_images(BATCH, model.data_shape) + 1.0) * 127.5  # [0, 255]
    with pytest.raises(ValueError, match=re.escape(f"[{low}, {high}]") + ".*spans"):
        model.fit(pixels, batch_size=BATCH, verbose=0)


def test_empty_data_is_named(trained):
    model = trained.model
    with pytest.raises(ValueError, match="empty"):
        model.fit(np.zeros((0, *model.data_shape), "float32"), batch_size=BATCH, verbose=0)
    empty = _fit_data(model, np.zeros((0, *model.data_shape), "float32"))
    dataset = tf.data.Dataset.from_tensor_slices(empty if len(empty) > 1 else empty[0])
    with pytest.raises(ValueError, match="dataset is empty"):
        model.fit(dataset.batch(BATCH), verbose=0)


def test_sampling_paths_agree(trained):
    model = trained.model
    samples = model.generate(SAMPLES, seed=5)
    # A Generator built from the sampler's parts samples what the model does.
    sampler = model.sampler()
    generator = keras_gan_zoo.Generator(
        sampler.network,
        latent_dim=sampler.latent_dim,
        num_classes=sampler.num_classes,
        data_range=model.data_range,
        categorical_codes=sampler.prior.categorical_codes,
        continuous_codes=sampler.prior.continuous_codes,
        noise=sampler.prior.noise.name,
    )
    np.testing.assert_array_equal(generator.generate(SAMPLES, seed=5), samples)
    assert samples.shape == (SAMPLES, *model.data_shape) and samples.dtype == np.float32
    low, high = model.data_range
    assert np.all(samples >= low) and np.all(samples <= high)
    # The seed decides the samples.
    np.testing.assert_array_equal(model.generate(SAMPLES, seed=5), samples)
    assert not np.array_equal(model.generate(SAMPLES, seed=6), samples)


def test_conditional_models_sample_the_asked_classes_and_refuse_bad_labels(trained):
    model = trained.model
    if model.num_classes is None:
        with pytest.raises(ValueError, match="unconditional"):
            model.generate(SAMPLES, labels=0)
        return
    classes = model.num_classes
    # The label changes the sample; the same label and seed give the same one.
    first = model.generate(SAMPLES, labels=0, seed=1)
    np.testing.assert_array_equal(model.generate(SAMPLES, labels=0, seed=1), first)
    assert not np.array_equal(model.generate(SAMPLES, labels=1, seed=1), first)
    images = random_images(BATCH, model.data_shape)
    with pytest.raises(ValueError, match="needs a class label"):
        model.fit(images, batch_size=BATCH, verbose=0)
    with pytest.raises(ValueError, match=f"labels must lie in 0 to {classes - 1}"):
        model.fit(images, np.full(BATCH, classes, "int32"), batch_size=BATCH, verbose=0)
    with pytest.raises(ValueError, match="dtype float32"):
        model.fit(images, np.zeros(BATCH, "float32"), batch_size=BATCH, verbose=0)
    with pytest.raises(ValueError, match=f"Class labels must lie in \\[0, {classes}\\)"):
        model.generate(SAMPLES, labels=classes)
