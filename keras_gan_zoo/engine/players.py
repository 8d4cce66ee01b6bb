"""The participants of the adversarial game, and the running averages of their networks.

A `Player` updates the weights of one or more networks with one optimizer:
a GAN's discriminator; its generator; BiGAN's generator and encoder together;
CycleGAN's two generators. Its `role` says what it is to the tricks (a
gradient penalty applies to discriminator updates, feature matching to
generator updates), whatever the model calls its optimizers.
"""

import dataclasses
from collections.abc import Callable

import keras

# The roles a player can have in the game. Tricks key on these, never on optimizer names.
DISCRIMINATOR = "discriminator"
GENERATOR = "generator"
ROLES = (DISCRIMINATOR, GENERATOR)
# A player outside the game (an autoencoder's reconstruction, a supervised
# classifier): no trick applies to it.
AUXILIARY = "auxiliary"


@dataclasses.dataclass(frozen=True)
class Player:
    """One participant of the adversarial game.

    Args:
        prefix: short name of the player's optimizer attribute (`d` ->
            `model.d_optimizer`) and logs (`d_loss`, `d_real_accuracy`).
        networks: the `keras.Model` (or tuple of them) whose trainable weights
            this player updates, all with one optimizer.
        loss_fn: `loss_fn(batch) -> (loss, logs)`, written with `keras.ops`;
            `batch` is the step's `Batch`, `logs` maps the names in
            `log_names` to scalars.
        role: `DISCRIMINATOR` or `GENERATOR`: which tricks apply to it;
            `AUXILIARY` for a player outside the game.
        steps: updates this player makes per train step (WGAN's n_critic).
        interval: the player updates only on train steps whose count is a
            multiple of `interval` (lazy regularization); its loss is logged
            on those steps only.
        log_names: extra scalars returned by `loss_fn`, logged as
            `<prefix>_<name>`.
        after_update: called with no arguments after each of this player's
            optimizer updates (WGAN's weight clipping).
        averages: `NetworkAverage`s updated after each of this player's
            updates (a generator's exponential moving average).
    """

    prefix: str
    networks: object
    loss_fn: Callable
    role: str = DISCRIMINATOR
    steps: int = 1
    interval: int = 1
    log_names: tuple = ()
    after_update: Callable | None = None
    averages: tuple = ()

    def __post_init__(self):
        networks = self.networks
        if not isinstance(networks, (tuple, list)):
            networks = (networks,)
        object.__setattr__(self, "networks", tuple(networks))
        if self.role not in (*ROLES, AUXILIARY):
            raise ValueError(
                f"Player role must be one of {(*ROLES, AUXILIARY)}; got {self.role!r}."
            )
        if self.interval < 1 or self.steps < 1:
            raise ValueError(
                f"Player {self.prefix!r}: steps and interval must be >= 1; got steps={self.steps}, "
                f"interval={self.interval}."
            )

    @property
    def network(self):
        """The player's network, when it updates exactly one."""
        if len(self.networks) != 1:
            raise AttributeError(
                f"Player {self.prefix!r} updates {len(self.networks)} networks; use .networks."
            )
        return self.networks[0]

    @property
    def trainable_variables(self):
        """The trainable variables of all the player's networks, each once."""
        seen, variables = set(), []
        for network in self.networks:
            for variable in network.trainable_variables:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    variables.append(variable)
        return variables


class NetworkAverage(keras.layers.Layer):
    """An exponential moving average of a network's weights, as a second network.

    `average` is a copy of `network` (same config) whose weights follow
    `decay * average + (1 - decay) * network` after each update of the
    network's player; non-trainable state (BatchNorm statistics) is copied.
    Its weights are the model's non-trainable variables, so they are saved,
    restored and threaded through the jitted step like any other state.

    Args:
        network: the `keras.Model` to average.
        decay: the weight of the past, in [0, 1); e.g. 0.999.
    """

    def __init__(self, network, decay, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"The moving-average decay must be in [0, 1); got {decay}.")
        self.decay = float(decay)
        # Not an attribute Keras tracks: the network's weights belong to its
        # player; listing them here too would save and thread them twice.
        self._source = lambda: network
        self.average = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(network)
        )
        self.average.set_weights(network.get_weights())
        self.average.trainable = False
        self.built = True

    def update(self):
        """One moving-average step from the network's current weights."""
        network = self._source()
        averaged = {id(v) for v in network.trainable_variables}
        # Same config, so the same variables in the same order.
        for source, target in zip(network.weights, self.average.weights):
            if id(source) in averaged:
                target.assign(self.decay * target.value + (1.0 - self.decay) * source.value)
            else:
                target.assign(source.value)

    def call(self, inputs, training=False):
        return self.average(inputs, training=training)
