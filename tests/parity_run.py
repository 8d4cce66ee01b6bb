"""A few training steps of every registered model, and of the variants that
put every public trick and batch-statistics layer into a step, from fixed
weights, batches and random draws, and every adversarial loss's values and
gradients; dumps all of them in one file.

Run once per backend (`KERAS_BACKEND=... python tests/parity_run.py OUT.npz`);
tests/test_parity.py compares the dumps. Everything a step depends on is the
same on every backend:
- the weights: set from a NumPy generator after the model is built (the
  spectral-norm power-iteration vectors included);
- the batches: NumPy arrays, fed in order;
- the random draws: the backends' generators differ, so while the models
  train, Keras's backend random functions (`normal`, `uniform`, `dropout`,
  which every `keras.random` call and `keras.layers.Dropout` go through) are
  replaced by NumPy draws. The k-th draw of a train step gets the k-th NumPy
  array of the step, whatever its seed generator; the counter restarts with
  every step, so a compiled step (traced once) and an eager one (run every
  step) draw the same numbers. Latents, gradient-penalty interpolation
  weights, DRAGAN perturbations, instance noise and dropout masks are all
  covered, with no hook in the models; a random function not replaced here
  raises, so a model that starts drawing another way fails loudly instead of
  diverging silently.

Environment (for tests/test_parity.py):
- KERAS_GAN_ZOO_PARITY_MODELS: comma-separated names (models or `VARIANTS`)
  to run (default: all of both).
- KERAS_GAN_ZOO_PARITY_BREAK: `name=primitive,...`: while `name` trains,
  replace the backend primitive `keras_gan_zoo.backend.<primitive>` with a
  deliberately broken one (see `BROKEN_PRIMITIVES`), to check that the
  comparison catches a broken backend.
"""

import contextlib
import os
import sys
import time
import zlib

import keras
import numpy as np
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import backend
from keras_gan_zoo import layers
from keras_gan_zoo import tricks
from keras_gan_zoo.models.registry import get_model_entry
from keras_gan_zoo.networks import cgan_conv_discriminator
from keras_gan_zoo.networks import cgan_conv_generator
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import infogan_discriminator
from keras_gan_zoo.networks import infogan_generator
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator
from keras_gan_zoo.utils.files import atomic_write

BATCH = 8
STEPS = 3
# Keras's backend random functions the models' steps use.
REPLACED = ("normal", "uniform", "randint", "dropout")
REFUSED = ("truncated_normal", "categorical", "shuffle", "gamma", "binomial", "beta")


class HostRandom:
    """NumPy draws in place of the backend's: the same numbers everywhere.

    Args:
        seed: an int; draw k of a step comes from `default_rng([seed, k])`.
    """

    def __init__(self, seed):
        self.seed = seed
        self.count = 0

    def restart(self):
        self.count = 0

    def _draw(self, shape, sample):
        # TensorFlow's step sees the batch axis as unknown (a tensor): draw
        # BATCH rows and keep the first ones, as many as the step has.
        static = []
        for axis, size in enumerate(shape):
            try:
                static.append(int(size))
            except TypeError:
                if axis != 0:
                    raise ValueError(
                        f"Unknown size on axis {axis} of a draw of shape {shape}."
                    ) from None
                static.append(None)
        rng = np.random.default_rng([self.seed, self.count])
        self.count += 1
        full = tuple(BATCH if size is None else size for size in static)
        values = ops.convert_to_tensor(sample(rng, full).astype("float32"))
        if static and static[0] is None:
            values = values[: shape[0]]
        return values

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        values = self._draw(shape, lambda rng, s: rng.standard_normal(s))
        return ops.cast(mean + stddev * values, dtype or keras.config.floatx())

    def uniform(self, shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
        values = self._draw(shape, lambda rng, s: rng.uniform(0.0, 1.0, s))
        return ops.cast(minval + (maxval - minval) * values, dtype or keras.config.floatx())

    def randint(self, shape, minval, maxval, dtype="int32", seed=None):
        # Latent-prior labels and InfoGAN's categorical codes.
        values = self._draw(shape, lambda rng, s: rng.integers(minval, maxval, s))
        return ops.cast(values, dtype)

    def dropout(self, inputs, rate, noise_shape=None, seed=None):
        shape = ops.shape(inputs) if noise_shape is None else noise_shape
        keep = self.uniform(shape) >= rate
        return ops.where(keep, inputs / (1.0 - rate), ops.zeros_like(inputs))


@contextlib.contextmanager
def host_random(model, seed):
    """Inside: `model`'s train steps draw from NumPy (`HostRandom`)."""
    module = keras.src.backend.random
    random = HostRandom(seed)
    saved = {name: getattr(module, name) for name in REPLACED + REFUSED}

    def refuse(name):
        def refused(*args, **kwargs):
            raise NotImplementedError(
                f"parity_run.py has no backend-independent keras.random.{name}; add it to "
                "HostRandom so the parity test controls this draw."
            )

        return refused

    step = model.adversarial_step

    def restarted_step(data):
        random.restart()
        return step(data)

    for name in REPLACED:
        setattr(module, name, getattr(random, name))
    for name in REFUSED:
        setattr(module, name, refuse(name))
    model.adversarial_step = restarted_step
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(module, name, function)


def _drop_first_variable(minimize):
    # A player's update that leaves out one of its variables.
    return lambda loss_fn, variables, optimizer: minimize(loss_fn, variables[1:], optimizer)


def _detach_input_gradient(input_gradient):
    # A penalty gradient that cannot be differentiated again (torch without
    # create_graph=True): the penalty no longer trains D.
    def detached(fn, inputs):
        outputs, gradients = input_gradient(fn, inputs)
        return outputs, ops.stop_gradient(gradients)

    return detached


BROKEN_PRIMITIVES = {
    "minimize": _drop_first_variable,
    "input_gradient": _detach_input_gradient,
}


@contextlib.contextmanager
def broken(primitive):
    """Inside: `keras_gan_zoo.backend.<primitive>` is a broken version of itself."""
    if primitive is None:
        yield
        return
    original = getattr(backend, primitive)
    setattr(backend, primitive, BROKEN_PRIMITIVES[primitive](original))
    try:
        yield
    finally:
        setattr(backend, primitive, original)


def set_weights(model, rng):
    """Every weight from `rng`; normalization scales near 1; BEGAN's k at 0.25;
    virtual batch norm's reference latents."""
    for variable in model.trainable_variables:
        name = variable.name
        noise = rng.standard_normal(variable.shape).astype("float32")
        if name == "gamma":
            variable.assign(1.0 + 0.1 * noise)
        elif name == "beta":
            variable.assign(0.1 * noise)
        else:
            variable.assign(0.05 * noise)
    for variable in model.non_trainable_variables:
        if variable.name == "u":  # spectral norm's power-iteration vector
            u = rng.standard_normal(variable.shape).astype("float32")
            variable.assign(u / np.linalg.norm(u))
        elif variable.name == "reference_latents":
            # Virtual batch norm's reference batch, drawn by each backend's generator.
            variable.assign(rng.standard_normal(variable.shape).astype("float32"))
        elif variable.name == "k":
            # BEGAN's controller starts at 0; away from 0, D's update uses the fake term.
            variable.assign(np.float32(0.25))


def state_of(model, name):
    """Every variable of the model and of its players' optimizers, as NumPy."""
    state = {}
    for variable in model.variables:
        if "seed_generator" not in variable.path:
            state[f"{name}/model/{variable.path}"] = ops.convert_to_numpy(variable)
    for player in model.players():
        optimizer = getattr(model, f"{player.prefix}_optimizer")
        for index, variable in enumerate(optimizer.variables):
            key = f"{name}/{player.prefix}_optimizer/{index}/{variable.name}"
            state[key] = ops.convert_to_numpy(variable)
    return state


def _vector_gan(discriminator=None, generator=None, **arguments):
    """A GAN on 2-d points with 16-unit networks: variants compile in about a second."""
    shape, latent_dim = (2,), 4
    return keras_gan_zoo.GAN(
        data_shape=shape,
        latent_dim=latent_dim,
        generator=generator or mlp_generator(latent_dim, shape, units=(16,)),
        discriminator=discriminator or mlp_discriminator(shape, units=(16,), dropout=0.0),
        seed=0,
        **arguments,
    )


def _image_gan(**arguments):
    return get_model_entry("gan").build_tiny(**arguments)


def _conv_cgan(conditioning):
    shape = get_model_entry("cgan").tiny_config()["data_shape"]
    return get_model_entry("cgan").build_tiny(
        generator=cgan_conv_generator(8, shape, 10, embedding_dim=4, filters=8),
        discriminator=cgan_conv_discriminator(shape, 10, conditioning=conditioning, filters=8),
    )


def _feature_matching_gan():
    discriminator = dense_discriminator((2,), units=(16, 16))
    return _vector_gan(
        discriminator=discriminator,
        tricks=[tricks.FeatureMatching(discriminator.layers[-2].name)],
    )


# What the registered models' own steps leave out: each public trick and
# batch-statistics layer, CGAN's convolutional networks and InfoGAN's learned
# variance, inside a step.
# `name: a function that builds it`. The losses are checked directly (`loss_values`).
VARIANTS = {
    "cgan+conv_projection": lambda: _conv_cgan("projection"),
    "cgan+conv_concat": lambda: _conv_cgan("concat"),
    "infogan+learned_variance": lambda: get_model_entry("infogan").build_tiny(
        generator=infogan_generator(8 + 6, (16, 16, 1), filters=8, dense_units=16),
        discriminator=infogan_discriminator(
            (16, 16, 1), (4,), 2, learned_variance=True, filters=8, dense_units=16, q_units=8
        ),
        learned_variance=True,
    ),
    "gan+diff_augment": lambda: _image_gan(tricks=[tricks.DiffAugment(seed=1)]),
    "gan+instance_noise+noisy_labels": lambda: _vector_gan(
        tricks=[
            tricks.InstanceNoise(0.1, decay_steps=10),
            tricks.NoisyLabels(smoothing=0.1, noise=0.1, flip_probability=0.2),
        ]
    ),
    "gan+penalties+historical_averaging": lambda: _vector_gan(
        tricks=[
            tricks.R1Penalty(1.0),
            tricks.R2Penalty(1.0),
            tricks.GradientPenalty(1.0, one_sided=True),
            tricks.HistoricalAveraging(1e-2),
        ]
    ),
    "gan+experience_replay": lambda: _vector_gan(tricks=[tricks.ExperienceReplay(pool_size=16)]),
    "gan+feature_matching": _feature_matching_gan,
    "gan+minibatch_discrimination": lambda: _vector_gan(
        discriminator=dense_discriminator(
            (2,), units=(16,), minibatch_layer=layers.MinibatchDiscrimination(4, 3)
        )
    ),
    "gan+minibatch_stddev+virtual_batch_norm": lambda: _vector_gan(
        discriminator=dense_discriminator(
            (2,), units=(16,), minibatch_layer=layers.MinibatchStandardDeviation(2, 2)
        ),
        generator=mlp_generator(4, (2,), units=(16,), batch_norm="virtual", reference_size=4),
    ),
}


# Draws moved away from a kink tie. Piecewise-linear activations have two
# slopes at 0, and the backends pick differently there (TensorFlow's leaky ReLU
# takes the negative slope at exactly 0). With its first draws, the projection
# D's second step put one batch-norm output within 3e-8 of its leaky ReLU's
# kink: 0.0 on TensorFlow, +3e-8 on JAX, and either side on torch depending on
# how it got there; D's gradient then differed by 1.5% in that channel's
# kernel. A tie in the inputs, not a difference between the backends: from
# TensorFlow's state and fakes, JAX and torch (both at +2e-8 to +3e-8) agree to
# 6e-7, and TensorFlow (at 0.0) differs from them in that channel and what lies
# before it only. `name: offset added to its draws' index`.
REDRAWN = {"cgan+conv_projection": 100}


def all_names():
    """Every registered model, then every variant: what a full dump holds."""
    return keras_gan_zoo.list_models() + list(VARIANTS)


def build(name):
    """A registered model's tiny configuration, or a variant."""
    if name in VARIANTS:
        return VARIANTS[name]()
    return get_model_entry(name).build_tiny()


def run_model(name, index, primitive=None):
    """`name`'s tiny model (or variant) after STEPS steps; returns its state."""
    keras.utils.clear_session()
    model = build(name)
    set_weights(model, np.random.default_rng(index))
    model.compile()
    shape = model.data_shape
    data_rng = np.random.default_rng(1000 + index)
    data = (data_rng.uniform(-1, 1, (BATCH * STEPS, *shape)).astype("float32"),)
    classes = model.batch_spec.num_classes
    if classes is not None:
        labels = data_rng.integers(classes, size=BATCH * STEPS).astype("int32")
        if model.batch_spec.partial_labels:
            labels[::3] = -1  # a semi-supervised batch: some examples unlabelled
        data += (labels,)
    with host_random(model, seed=2000 + index), broken(primitive):
        model.fit(*data, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    return state_of(model, name)


def loss_values():
    """Every registered adversarial loss on fixed outputs: D's and G's values and
    their gradients with respect to the outputs (real and fake stacked)."""
    rng = np.random.default_rng(3000)
    outputs = (2.0 * rng.standard_normal((2, BATCH, 1))).astype("float32")
    values = {}
    for name in keras_gan_zoo.losses.adversarial_loss_names():
        loss = keras_gan_zoo.losses.get_adversarial_loss(name)
        # Smoothed targets where the loss takes them, so they are checked too.
        targets = {"real_target": 0.9, "fake_target": 0.1} if loss.uses_targets else {}
        objectives = {
            "discriminator": lambda x, loss=loss, targets=targets: loss.discriminator_loss(
                x[0], x[1], **targets
            ),
            "generator": lambda x, loss=loss: loss.generator_loss(x[1], x[0]),
        }
        for player, objective in objectives.items():
            value, gradient = backend.input_gradient(objective, outputs)
            values[f"losses/{name}/{player}"] = ops.convert_to_numpy(value)
            values[f"losses/{name}/{player}_gradient"] = ops.convert_to_numpy(gradient)
    return values


def run(names, breaks):
    state = loss_values()
    for name in names:
        # Each model's draws depend on its name only: not on the models that
        # ran before it, nor on where a new model lands in the registry.
        index = zlib.crc32(name.encode()) % 100_000 + REDRAWN.get(name, 0)
        started, cpu = time.time(), time.process_time()
        state.update(run_model(name, index, breaks.get(name)))
        state[f"seconds/{name}/wall"] = np.float64(time.time() - started)
        state[f"seconds/{name}/cpu"] = np.float64(time.process_time() - cpu)
    return state


def _arguments_from_environment():
    names = os.environ.get("KERAS_GAN_ZOO_PARITY_MODELS")
    names = names.split(",") if names else all_names()
    breaks = {}
    for item in filter(None, os.environ.get("KERAS_GAN_ZOO_PARITY_BREAK", "").split(",")):
        name, primitive = item.split("=")
        if primitive not in BROKEN_PRIMITIVES:
            raise ValueError(
                f"Unknown primitive {primitive!r}; one of {sorted(BROKEN_PRIMITIVES)}."
            )
        breaks[name] = primitive
    return names, breaks


if __name__ == "__main__":
    dump = run(*_arguments_from_environment())
    # Atomically: the three backend runs of the suite may ask for it at once.
    with atomic_write(sys.argv[1], suffix=".npz") as temporary:
        np.savez(temporary, **dump)
