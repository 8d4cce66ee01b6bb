"""Adversarial autoencoders: what each phase updates, the semi-supervised phase's mask, the heads.

Parity (tests/test_parity.py) carries these steps to the other backends.
"""

import keras
import numpy as np
import pytest
from conftest import random_images
from keras import ops

import keras_gan_zoo
from keras_gan_zoo.engine.batch import unpack_batch
from keras_gan_zoo.models.registry import get_model_entry

pytestmark = pytest.mark.carried

AAE_NAMES = ("aae", "aae_supervised", "aae_semi_supervised", "aae_clustering", "aae_dim_reduction")
BATCH = 8


def _data(model, n=BATCH, seed=0):
    images = random_images(n, model.data_shape, seed=seed)
    if model.batch_spec.num_classes is None:
        return (images,)
    labels = (np.arange(n) % model.batch_spec.num_classes).astype("int32")
    if model.batch_spec.partial_labels:
        labels[1::2] = -1  # half the batch unlabelled
    return ((images, labels),)


def _networks(model):
    networks = {
        "encoder": model.encoder,
        "decoder": model.decoder,
        "discriminator": model.discriminator,
    }
    if hasattr(model, "category_discriminator"):
        networks["category_discriminator"] = model.category_discriminator
    return networks


def _values(network):
    return {v.path: ops.convert_to_numpy(v) for v in network.trainable_variables}


# What each phase updates, by player prefix: (networks, variables of the
# encoder it leaves alone, by layer name).
PHASES = {
    "ae": ({"encoder", "decoder"}, ()),
    "d": ({"discriminator", "category_discriminator"}, ()),
    "g": ({"encoder"}, ()),
    # The supervised phase trains the encoder's trunk and category head, not its style head.
    "c": ({"encoder"}, ("style",)),
}


@pytest.mark.parametrize("name", AAE_NAMES)
def test_each_phase_updates_its_networks_and_no_other(name):
    keras.utils.set_random_seed(0)
    model = get_model_entry(name).build_tiny()
    prefixes = [player.prefix for player in model.players()]
    assert prefixes[:3] == ["ae", "d", "g"]
    assert ("c" in prefixes) == (name == "aae_semi_supervised")
    for prefix in prefixes:
        # Only `prefix`'s optimizer moves weights: the others step with a zero rate.
        optimizers = {
            f"{other}_optimizer": keras.optimizers.SGD(0.5 if other == prefix else 0.0)
            for other in prefixes
        }
        model.compile(**optimizers)
        before = {key: _values(network) for key, network in _networks(model).items()}
        model.fit(*_data(model), batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
        updated, untouched_layers = PHASES[prefix]
        for key, network in _networks(model).items():
            after = _values(network)
            changed = {
                path
                for path, value in after.items()
                if not np.array_equal(value, before[key][path])
            }
            if key in updated:
                expected = {path for path in after if path.split("/")[0] not in untouched_layers}
                assert changed == expected, (name, prefix, key, sorted(expected - changed))
            else:
                assert not changed, (name, prefix, key, sorted(changed))


def test_supervised_phase_sees_only_the_labelled_examples():
    keras.utils.set_random_seed(0)
    model = get_model_entry("aae_semi_supervised").build_tiny()
    model.compile()
    ((images, labels),) = _data(model)
    loss, logs = model.classification_loss(unpack_batch((images, labels), model.batch_spec))
    # Other images and labels in the unlabelled slots change nothing.
    others = images.copy()
    others[1::2] = random_images(BATCH // 2, model.data_shape, seed=5)
    relabelled = labels.copy()
    relabelled[1::2] = -1
    same, _ = model.classification_loss(unpack_batch((others, relabelled), model.batch_spec))
    np.testing.assert_allclose(ops.convert_to_numpy(same), ops.convert_to_numpy(loss), rtol=1e-6)
    # The value is the cross-entropy of the labelled half alone (NumPy, float64).
    logits = ops.convert_to_numpy(model.encoder(images)[0]).astype("float64")[::2]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = -np.mean(log_softmax[np.arange(len(logits)), labels[::2]])
    assert float(ops.convert_to_numpy(loss)) == pytest.approx(expected, rel=1e-5)
    # A mask says the same as -1 labels; with no labelled example the phase's loss is 0.
    mask = (labels >= 0).astype("float32")
    masked, _ = model.classification_loss(
        unpack_batch((images, np.maximum(labels, 0), mask), model.batch_spec)
    )
    np.testing.assert_allclose(ops.convert_to_numpy(masked), ops.convert_to_numpy(loss), rtol=1e-6)
    none, _ = model.classification_loss(
        unpack_batch((images, labels, np.zeros(BATCH, "float32")), model.batch_spec)
    )
    assert float(ops.convert_to_numpy(none)) == 0.0


def test_cluster_heads_representation_and_separation_penalty():
    keras.utils.set_random_seed(0)
    model = get_model_entry("aae_dim_reduction").build_tiny()
    heads_layer = model.decoder.get_layer("cluster_heads")
    heads = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]] + [[10.0 * k, 10.0] for k in range(7)])
    heads_layer.heads.assign(heads.astype("float32"))
    # Pairs closer than 4: (0,1) at 1, (0,2) at 3, (1,2) at sqrt(10).
    expected = (4 - 1) + (4 - 3) + (4 - np.sqrt(10))
    penalty = float(ops.convert_to_numpy(heads_layer.separation_penalty(4.0)))
    assert penalty == pytest.approx(expected, rel=1e-5)
    # encode() is the head of the image's category (softmax-weighted) plus its style.
    images = random_images(4, model.data_shape)
    logits, style = (ops.convert_to_numpy(t) for t in model.encoder(images))
    softmax = np.exp(logits - logits.max(1, keepdims=True))
    softmax /= softmax.sum(1, keepdims=True)
    np.testing.assert_allclose(model.encode(images), style + softmax @ heads, rtol=1e-5, atol=1e-5)


def test_supervised_decoder_reads_the_label_and_samples_by_class():
    keras.utils.set_random_seed(0)
    model = get_model_entry("aae_supervised").build_tiny()
    codes = np.zeros((2, model.latent_dim), "float32")
    outputs = ops.convert_to_numpy(model.decoder([codes, np.array([1, 2], "int32")]))
    assert not np.allclose(outputs[0], outputs[1])
    threes = model.generate(3, seed=0, labels=3)
    sevens = model.generate(3, seed=0, labels=7)
    assert threes.shape == (3, *model.data_shape) and not np.allclose(threes, sevens)
    with pytest.raises(ValueError, match="supervised: pass the images' labels"):
        model.reconstruct(random_images(2, model.data_shape))


def test_prior_shapes_the_codes_the_discriminator_sees():
    keras.utils.set_random_seed(0)
    model = keras_gan_zoo.AdversarialAutoencoder(
        data_shape=(16, 16, 1), latent_dim=2, units=(8,), prior="swiss_roll", seed=0
    )
    draws = ops.convert_to_numpy(model.prior_codes(4096)[0])
    radius = np.linalg.norm(draws, axis=1)
    # The swiss roll: radius RADIUS * t at angle 3 pi t, so radius / angle is fixed.
    assert radius.max() < 3.3 and draws.shape == (4096, 2)
    host = model.sampler().prior.sample_noise_numpy(4096, 0)
    np.testing.assert_allclose(
        np.sort(np.linalg.norm(host, axis=1))[::512], np.sort(radius)[::512], atol=0.15
    )


def test_categorical_sampler_picks_the_category():
    keras.utils.set_random_seed(0)
    model = get_model_entry("aae_clustering").build_tiny()
    sampler = model.sampler()
    assert sampler.code_names == ["c1"] and sampler.code_kind("c1") == "categorical"
    ones = sampler.generate(2, seed=0, codes={"c1": 1})
    fives = sampler.generate(2, seed=0, codes={"c1": 5})
    assert not np.allclose(ones, fives)
    assert model.classify(random_images(5, model.data_shape)).dtype == np.int32


def test_bad_labels_are_named():
    semi = get_model_entry("aae_semi_supervised").build_tiny()
    semi.compile()
    images = random_images(BATCH, semi.data_shape)
    with pytest.raises(ValueError, match=r"0 to 9 \(or -1 for an unknown label\)"):
        semi.fit(images, np.full(BATCH, -2, "int32"), batch_size=BATCH, verbose=0)
    with pytest.raises(ValueError, match="Every label is -1"):
        semi.fit(images, np.full(BATCH, -1, "int32"), batch_size=BATCH, verbose=0)
    supervised = get_model_entry("aae_supervised").build_tiny()
    supervised.compile()
    with pytest.raises(ValueError, match="is conditional: it needs a class label"):
        supervised.fit(images, batch_size=BATCH, verbose=0)
    with pytest.raises(ValueError, match="labels must lie in 0 to 9\\.$"):
        supervised.fit(images, np.full(BATCH, -1, "int32"), batch_size=BATCH, verbose=0)
    with pytest.raises(ValueError, match="categories=..."):
        keras_gan_zoo.CategoricalAdversarialAutoencoder(num_classes=10)
    with pytest.raises(ValueError, match=r"the encoder takes examples of shape \(16, 16, 1\)"):
        semi.encode(np.zeros((2, 28, 28, 1), "float32"))


def test_ali_encodes_means_and_samples_for_d():
    keras.utils.set_random_seed(0)
    model = get_model_entry("ali").build_tiny()
    images = random_images(4, model.data_shape)
    mean, log_variance = (
        ops.convert_to_numpy(output) for output in model.encoder(images, training=False)
    )
    np.testing.assert_allclose(model.encode(images), mean, rtol=1e-6)
    first = ops.convert_to_numpy(model.encoded(images, training=False))
    second = ops.convert_to_numpy(model.encoded(images, training=False))
    assert not np.allclose(first, second)  # a fresh sample each time
    # Each sample is mean + exp(log_variance / 2) * noise, noise ~ N(0, 1).
    noise = (first - mean) / np.exp(0.5 * log_variance)
    assert np.abs(noise).max() < 6.0 and np.abs(noise).std() > 0.3
    with pytest.raises(ValueError, match=r"a mean and a log-variance, each of shape \(8,\)"):
        keras_gan_zoo.ALI(
            data_shape=model.data_shape,
            latent_dim=8,
            generator=model.generator,
            encoder=keras_gan_zoo.networks.bigan_encoder(model.data_shape, 8, units=(4,)),
            discriminator=model.discriminator,
        )


def test_bigan_prior_is_the_papers_uniform():
    model = get_model_entry("bigan").build_tiny()
    assert model.latent_prior.noise.name == "uniform"
    sampler = model.sampler()
    draws = sampler.prior.sample_noise_numpy(1000, 0)
    assert draws.min() >= -1.0 and draws.max() <= 1.0
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(sampler))
    assert restored.prior.noise.name == "uniform"
    with pytest.raises(ValueError, match="truncation bounds a normal z"):
        sampler.generate(2, truncation=0.5)
