"""A few training steps of every registered model from fixed weights, batches
and random draws; dumps the state of all of them in one file.

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
- KERAS_GAN_ZOO_PARITY_MODELS: comma-separated names to run (default: all).
- KERAS_GAN_ZOO_PARITY_BREAK: `name=primitive,...`: while `name` trains,
  replace the backend primitive `keras_gan_zoo.backend.<primitive>` with a
  deliberately broken one (see `BROKEN_PRIMITIVES`), to check that the
  comparison catches a broken backend.
"""

import contextlib
import os
import sys
import time

import keras
import numpy as np
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import backend
from keras_gan_zoo.models.registry import get_model_entry
from keras_gan_zoo.utils.files import atomic_write

BATCH = 8
STEPS = 3
# Keras's backend random functions the models' steps use.
REPLACED = ("normal", "uniform", "dropout")
REFUSED = ("truncated_normal", "randint", "categorical", "shuffle", "gamma", "binomial", "beta")


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
    """Every weight from `rng`; normalization scales near 1; BEGAN's k at 0.25."""
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


def run_model(name, index, primitive=None):
    """`name`'s tiny model after STEPS steps; returns its state."""
    keras.utils.clear_session()
    model = get_model_entry(name).build_tiny()
    set_weights(model, np.random.default_rng(index))
    model.compile()
    shape = model.data_shape
    data_rng = np.random.default_rng(1000 + index)
    data = (data_rng.uniform(-1, 1, (BATCH * STEPS, *shape)).astype("float32"),)
    classes = model.batch_spec.num_classes
    if classes is not None:
        data += (data_rng.integers(classes, size=BATCH * STEPS).astype("int32"),)
    with host_random(model, seed=2000 + index), broken(primitive):
        model.fit(*data, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    return state_of(model, name)


def run(names, breaks):
    state = {}
    for name in names:
        # Each model's draws depend on its place in the registry, not on the
        # models that ran before it.
        index = keras_gan_zoo.list_models().index(name)
        started, cpu = time.time(), time.process_time()
        state.update(run_model(name, index, breaks.get(name)))
        state[f"seconds/{name}/wall"] = np.float64(time.time() - started)
        state[f"seconds/{name}/cpu"] = np.float64(time.process_time() - cpu)
    return state


def _arguments_from_environment():
    names = os.environ.get("KERAS_GAN_ZOO_PARITY_MODELS")
    names = names.split(",") if names else keras_gan_zoo.list_models()
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
