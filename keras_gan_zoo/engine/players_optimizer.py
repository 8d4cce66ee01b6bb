"""One optimizer object that holds every player's optimizer.

Keras trainers know a single `model.optimizer`. On JAX only the variables of
that optimizer are threaded through the jitted step; optimizers kept elsewhere
would be frozen into the compiled function as constants (Adam moments and
`iterations` silently restarting every step). `PlayersOptimizer` exposes the
union of the players' optimizer variables so that the trainer threads, syncs
and shards all of them. It never applies gradients itself.
"""

import keras


class PlayersOptimizer(keras.optimizers.Optimizer):
    """Container that makes all players' optimizers visible to the trainer.

    Args:
        optimizers: list of built `keras.optimizers.Optimizer`, one per player,
            in the order the players are updated.
    """

    def __init__(self, optimizers, name="players_optimizer"):
        super().__init__(learning_rate=0.0, name=name)
        self._player_optimizers = list(optimizers)
        self.built = True

    @property
    def variables(self):
        return [v for optimizer in self._player_optimizers for v in optimizer.variables]

    @property
    def iterations(self):
        # One train step ends with one update of the last player (the generator
        # in a GAN), so its counter is the number of train steps taken.
        return self._player_optimizers[-1].iterations

    def apply(self, grads, trainable_variables=None):
        raise RuntimeError(
            "PlayersOptimizer only gathers the players' optimizers; each player's "
            "own optimizer applies its gradients."
        )

    def finalize_variable_values(self, var_list):
        for optimizer in self._player_optimizers:
            optimizer.finalize_variable_values(optimizer._trainable_variables)

    # The players' optimizers are saved as the model's own attributes
    # (`d_optimizer`, `g_optimizer`, ...); saving them here too would store every
    # moment twice.
    def save_own_variables(self, store):
        pass

    def load_own_variables(self, store):
        pass

    def get_config(self):
        raise TypeError(
            "PlayersOptimizer is rebuilt by the model's compile(); it is not serialized."
        )
