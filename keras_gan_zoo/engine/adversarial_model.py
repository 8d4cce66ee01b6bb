"""The adversarial engine: one backend-agnostic train step for every model.

A model in the zoo declares its *players* (a GAN: the discriminator, then the
generator; see `keras_gan_zoo.engine.players`). Each player has the networks
whose weights it updates, a loss of the step's `Batch`, an optimizer
(`<prefix>_optimizer`), a number of updates per step and an update interval.
The step body below is written once with `keras.ops`; the only
backend-specific code is `keras_gan_zoo.backend`, which differentiates a loss
and applies an optimizer.

A model also declares what it consumes (`batch_spec`: examples, labels,
targets; see `keras_gan_zoo.engine.batch`) and how it makes outputs
(`sampler()`: the one object that sampling, sample grids, evaluation, presets
and the CLI go through).
"""

import inspect

import keras
import numpy as np
from keras import ops

from keras_gan_zoo import backend
from keras_gan_zoo.datasets import validation
from keras_gan_zoo.datasets._pipeline import check_batch_size
from keras_gan_zoo.engine.batch import BatchSpec
from keras_gan_zoo.engine.batch import check_arrays
from keras_gan_zoo.engine.batch import unpack_batch
from keras_gan_zoo.engine.players import Player  # noqa: F401 (re-exported)
from keras_gan_zoo.engine.players_optimizer import PlayersOptimizer
from keras_gan_zoo.engine.training_guard import TrainingGuard
from keras_gan_zoo.utils.arguments import check_int


class AdversarialModel(keras.Model):
    """Base class of every model in the zoo; trains with `compile()` / `fit()`.

    Subclasses implement `players()`, `default_optimizer(prefix)`,
    `data_shape`, `data_range` and `sampler()`, and widen `batch_spec` when
    they need more than examples. The train step updates each player in
    order, `player.steps` times (on the steps its `interval` selects), with
    the other players' weights fixed, and logs one running mean per loss.

    Args:
        seed: int or None. Seeds the step's random draws (latent vectors).
            With a fixed seed, training is reproducible and resumes exactly.
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._trackers = []

    # === Interface for subclasses ===

    def players(self):
        """Returns the list of `Player`s, in update order."""
        raise NotImplementedError(f"{type(self).__name__} must define players().")

    def default_optimizer(self, prefix):
        """The optimizer a player gets when `compile()` is not given one."""
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)

    @property
    def data_shape(self):
        """Shape of one training example, without the batch axis."""
        raise NotImplementedError(f"{type(self).__name__} must define data_shape.")

    @property
    def data_range(self):
        """(low, high) the training data must lie in, or None for no check."""
        return None

    @property
    def batch_spec(self):
        """What each batch must carry (`keras_gan_zoo.engine.BatchSpec`): by default, examples."""
        return BatchSpec(tuple(self.data_shape), self.data_range)

    def sampler(self):
        """The object that makes this model's outputs (a `keras_gan_zoo.Generator` for GANs).

        Everything that samples a model (`generate`, `SampleGrid`, evaluation,
        presets, the CLI) goes through it.
        """
        raise NotImplementedError(f"{type(self).__name__} must define sampler().")

    def save_generator(self, filepath):
        """Writes the sampler alone as a `.keras` file (a `keras_gan_zoo.Generator` for GANs
        and autoencoders' decoders): `keras.saving.load_model` gives back something that
        samples by itself (`.generate(n, labels=...)`), with its latent size, class count
        and data range."""
        self.sampler().save(filepath)

    # === Compile ===

    def compile(
        self,
        loss=None,
        *,
        jit_compile="auto",
        run_eagerly=False,
        steps_per_execution=1,
        **optimizers,
    ):
        """Configures every player's optimizer and the adversarial loss.

        Args:
            loss: the adversarial objective; see the subclass.
            jit_compile: XLA compilation on TensorFlow and JAX. PyTorch runs
                eagerly (torch.compile cannot differentiate twice, which
                gradient penalties need).
            run_eagerly: run the step eagerly, for debugging.
            steps_per_execution: train steps per compiled call (not torch).
            **optimizers: `<prefix>_optimizer=...` for each player, as a
                `keras.optimizers.Optimizer`, a name or a config. Missing ones
                get `default_optimizer(prefix)`.

        Raises:
            ValueError: for a `jit_compile` other than True, False or "auto",
                a non-bool `run_eagerly`, or a `steps_per_execution` that is
                not a positive integer.
            TypeError: for an optimizer argument the model has no player for.
        """
        if jit_compile not in (True, False, "auto"):
            raise ValueError(f"jit_compile must be True, False or 'auto'; got {jit_compile!r}.")
        if not isinstance(run_eagerly, bool):
            raise ValueError(f"run_eagerly must be True or False; got {run_eagerly!r}.")
        steps_per_execution = check_int(steps_per_execution, "steps_per_execution", minimum=1)
        # The loss first: which scalars a player logs can depend on it.
        self.adversarial_loss = self.resolve_loss(loss)
        players = self.players()
        known = {f"{player.prefix}_optimizer" for player in players}
        unknown = sorted(set(optimizers) - known)
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.compile() got unexpected arguments {unknown}; "
                f"its optimizers are {sorted(known)}."
            )
        player_optimizers = []
        for player in players:
            optimizer = keras.optimizers.get(optimizers.get(f"{player.prefix}_optimizer"))
            if optimizer is None:
                optimizer = self.default_optimizer(player.prefix)
            # Built here, eagerly: TF cannot create variables inside the step,
            # and JAX must see the moments in the state from the first step.
            if not optimizer.built:
                optimizer.build(player.trainable_variables)
            setattr(self, f"{player.prefix}_optimizer", optimizer)
            player_optimizers.append(optimizer)
        self._trackers = [keras.metrics.Mean(name=name) for name in self._log_names(players)]
        if keras.config.backend() == "torch" and jit_compile is True:
            raise ValueError(
                "jit_compile=True is not supported on the torch backend: torch.compile "
                "cannot differentiate twice. Leave jit_compile='auto' (eager)."
            )
        super().compile(
            optimizer=PlayersOptimizer(player_optimizers),
            jit_compile=False if keras.config.backend() == "torch" else jit_compile,
            run_eagerly=run_eagerly,
            steps_per_execution=steps_per_execution,
        )
        self._compile_arguments = {
            "loss": None if self.adversarial_loss is None else self.adversarial_loss.get_config(),
            "jit_compile": jit_compile,
            "steps_per_execution": steps_per_execution,
            **{
                f"{player.prefix}_optimizer": keras.optimizers.serialize(optimizer)
                for player, optimizer in zip(players, player_optimizers)
            },
        }

    def resolve_loss(self, loss):
        """Turns `compile(loss=...)` into the object the loss hooks use."""
        return loss

    def get_compile_config(self):
        return dict(getattr(self, "_compile_arguments", {}))

    def compile_from_config(self, config):
        config = dict(config)
        for key, value in config.items():
            if key.endswith("_optimizer"):
                config[key] = keras.optimizers.deserialize(value)
        self.compile(**config)

    @staticmethod
    def _log_names(players):
        names = []
        for player in players:
            names.append(f"{player.prefix}_loss")
            names.extend(f"{player.prefix}_{name}" for name in player.log_names)
        return names

    @property
    def metrics(self):
        return list(self._trackers)

    # === Train step ===

    def train_step(self, *args):
        # TF and torch call train_step(data); JAX calls train_step(state, data).
        return backend.train_step(self, *args)

    def adversarial_step(self, data):
        """One step of the game, the same on every backend."""
        batch = self.prepare_batch(data)
        trackers = {tracker.name: tracker for tracker in self._trackers}
        players = self.players()
        steps_taken = self._train_steps_taken(players)
        for player in players:
            optimizer = getattr(self, f"{player.prefix}_optimizer")
            # A player with an interval updates on the steps it selects; on the
            # others its weights and optimizer state are put back (a selection,
            # not a branch: the same traced program on every backend).
            selected = None if player.interval == 1 else (steps_taken % player.interval) == 0
            for _ in range(player.steps):
                saved = None if selected is None else self._snapshot(player, optimizer)
                loss, logs = backend.minimize(
                    lambda player=player: player.loss_fn(batch),
                    player.trainable_variables,
                    optimizer,
                )
                if player.after_update is not None:
                    player.after_update()
                for average in player.averages:
                    average.update()
                weight = None
                if saved is not None:
                    for variable, value in saved:
                        variable.assign(ops.where(selected, variable.value, value))
                    weight = ops.cast(selected, "float32")
                trackers[f"{player.prefix}_loss"].update_state(loss, sample_weight=weight)
                for name, value in logs.items():
                    trackers[f"{player.prefix}_{name}"].update_state(value, sample_weight=weight)
        return {tracker.name: tracker.result() for tracker in self._trackers}

    def _train_steps_taken(self, players):
        """Train steps finished before this one, from an every-step player's optimizer."""
        for player in players:
            if player.interval == 1:
                iterations = getattr(self, f"{player.prefix}_optimizer").iterations
                return ops.floor_divide(ops.cast(iterations, "int32"), player.steps)
        raise ValueError("At least one player must update on every step (interval=1).")

    @staticmethod
    def _snapshot(player, optimizer):
        """(variable, copy of its value) for what an update of `player` changes."""
        variables = list(player.trainable_variables) + list(optimizer.variables)
        for average in player.averages:
            variables.extend(average.weights)
        return [(variable, ops.copy(variable.value)) for variable in variables]

    def prepare_batch(self, data):
        """The step's `Batch` from what `fit()` passes, checked against `batch_spec`."""
        batch = unpack_batch(data, self.batch_spec, type(self).__name__)
        batch.real = ops.cast(batch.real, self.compute_dtype)
        return batch

    # === Fit ===

    def fit(self, x=None, *args, callbacks=None, **kwargs):
        """`keras.Model.fit`, with the data checked against the model first.

        Adds a `TrainingGuard` in front of the callbacks: a NaN or infinite
        loss stops training with `NonFiniteLossError` before any later
        callback (such as a checkpoint) sees the bad step.

        Raises:
            RuntimeError: if the model is not compiled.
            ValueError: for a `batch_size` or `steps_per_epoch` that is not
                None or a positive integer, an `epochs` that is not a
                positive integer, or an `initial_epoch` outside
                0..epochs - 1 (Keras would train at batch size 32, or not at
                all, without a word); and for data that does not fit the model.
        """
        if not self.compiled:
            raise RuntimeError("Call compile() before fit().")
        _check_fit_arguments(self, x, *args, callbacks=callbacks, **kwargs)
        spec = self.batch_spec
        name = type(self).__name__
        parts = x
        if (
            isinstance(parts, tuple)
            and 2 <= len(parts) <= 3
            and all(isinstance(part, np.ndarray) for part in parts)
            and not args
            and kwargs.get("y") is None
        ):
            # fit((images, labels)): the pair is the data, as a dataset yields it.
            x, args = parts[0], (parts[1],)
            if len(parts) == 3:
                kwargs["sample_weight"] = parts[2]
        if validation.is_dataset(x):
            x = validation.check_dataset(
                x,
                self.data_shape,
                self.data_range,
                num_classes=spec.num_classes,
                model_name=name,
                lowest_label=-1 if spec.partial_labels else 0,
            )
            # A dataset brings its own (resumable) order; Keras would only warn.
            kwargs.setdefault("shuffle", False)
        elif isinstance(x, np.ndarray):
            validation.check_array(x, self.data_shape, self.data_range)
            labels = args[0] if args else kwargs.get("y")
            if spec.num_classes is not None:
                if labels is None:
                    raise ValueError(
                        f"{name} is conditional: it needs a class label for each example. "
                        f"Pass fit(images, labels) or a dataset of (images, labels)."
                    )
                check_arrays(spec, labels, name, num_examples=len(x))
        callbacks = [TrainingGuard()] + list(callbacks or [])
        return super().fit(x, *args, callbacks=callbacks, **kwargs)

    # === Saving ===

    # The seed generator's state is not one of the layer's own variables, so
    # Keras would not save it; exact resume needs it.
    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["seed_generator_state"] = self.seed_generator.state

    def load_own_variables(self, store):
        own_variables = self._trainable_variables + self._non_trainable_variables
        for index, variable in enumerate(own_variables):
            variable.assign(store[str(index)])
        if "seed_generator_state" in store.keys():  # noqa: SIM118 (H5 stores lack __contains__)
            self.seed_generator.state.assign(store["seed_generator_state"])

    def get_config(self):
        config = super().get_config()
        config.update({"seed": self.seed})
        return config

    # === Presets ===

    @classmethod
    def from_preset(cls, preset):
        """The full model (all its networks) from a preset, e.g. to fine-tune.

        Args:
            preset: a built-in name (`keras_gan_zoo.list_presets()`), a local
                preset folder, an `https://`/`file://` URL or an `hf://` handle.

        Returns:
            The model with its weights, not compiled; its
            `preset_metadata` holds the preset's metadata.
        """
        from keras_gan_zoo import presets

        model, metadata = presets.load_model(preset)
        if not isinstance(model, cls):
            raise presets.PresetError(
                f"Preset {preset!r} holds a {type(model).__name__}, which is not a "
                f"{cls.__name__}; load it with {type(model).__name__}.from_preset "
                "or keras_gan_zoo.load_generator."
            )
        model.preset_metadata = metadata
        return model

    def save_to_preset(self, directory, **metadata):
        """Writes this model as a preset; see `keras_gan_zoo.save_to_preset`."""
        from keras_gan_zoo import presets

        return presets.save_to_preset(self, directory, **metadata)


def example_shape_of(probe, data_shape, network_name):
    """The example shape of `probe` (a network's output), checked against a `data_shape`
    the user gave (or None)."""
    shape = tuple(int(d) for d in probe.shape[1:])
    if data_shape is not None and tuple(data_shape) != shape:
        raise ValueError(
            f"data_shape is {tuple(data_shape)} but the {network_name} makes examples of shape "
            f"{shape}."
        )
    return shape


def _check_fit_arguments(model, *args, **kwargs):
    """Checks the counts `keras.Model.fit` takes, however they were passed."""
    try:
        arguments = inspect.signature(keras.Model.fit).bind(model, *args, **kwargs)
    except TypeError as error:
        raise TypeError(f"{type(model).__name__}.fit(): {error}") from None
    arguments.apply_defaults()
    given = arguments.arguments
    if given["batch_size"] is not None:
        check_batch_size(given["batch_size"])
    if given["steps_per_epoch"] is not None:
        check_int(given["steps_per_epoch"], "steps_per_epoch (or None)", minimum=1)
    epochs = check_int(given["epochs"], "epochs", minimum=1)
    initial_epoch = check_int(given["initial_epoch"], "initial_epoch", minimum=0)
    if initial_epoch >= epochs:
        raise ValueError(
            f"initial_epoch={initial_epoch} with epochs={epochs} trains nothing: epochs is the "
            "number of the last epoch to train, not how many to add; pass epochs > initial_epoch."
        )
