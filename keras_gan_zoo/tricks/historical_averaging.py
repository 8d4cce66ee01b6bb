"""Historical averaging (Salimans et al. 2016, Section 3.3)."""

import keras
from keras import ops

from keras_gan_zoo.tricks.trick import Trick


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class HistoricalAveraging(Trick):
    """Pulls each player's weights towards their running average.

    Adds w * sum_i ||theta_i - mean_t theta_i[t]||^2 to a player's loss,
    where the mean is over the weights after every past update of that
    player. Inspired by fictitious play: it damps the oscillations of
    gradient descent around an equilibrium.

    Args:
        weight: w.
        players: the players ("d", "g") whose weights are averaged.

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, https://arxiv.org/abs/1606.03498 (Section 3.3).
    """

    def __init__(self, weight=1e-3, players=("d", "g"), **kwargs):
        super().__init__(**kwargs)
        self.weight = float(weight)
        self.players = tuple(players)

    def attach(self, model):
        self._averages = {}
        self._counts = {}
        for player in model.players():
            if player.prefix not in self.players:
                continue
            self._averages[player.prefix] = [
                self.add_weight(
                    shape=variable.shape,
                    initializer="zeros",
                    trainable=False,
                    name=f"{player.prefix}_average_{index}",
                )
                for index, variable in enumerate(player.network.trainable_variables)
            ]
            self._counts[player.prefix] = self.add_weight(
                shape=(), initializer="zeros", trainable=False, name=f"{player.prefix}_updates"
            )
        super().attach(model)

    def _network(self, model, player):
        return {p.prefix: p.network for p in model.players()}[player]

    def log_names(self, player):
        return ("historical_average",) if player in self.players else ()

    def penalty(self, model, player, real_inputs, fake_inputs):
        if player not in self.players:
            return {}
        variables = self._network(model, player).trainable_variables
        # Before the first update there is no history: the penalty is zero.
        started = ops.cast(self._counts[player] > 0, "float32")
        total = sum(
            ops.sum(ops.square(variable - ops.stop_gradient(average)))
            for variable, average in zip(variables, self._averages[player])
        )
        return {"historical_average": self.weight * started * total}

    def after_update(self, model, player):
        if player not in self.players:
            return
        count = self._counts[player] + 1.0
        for variable, average in zip(
            self._network(model, player).trainable_variables, self._averages[player]
        ):
            average.assign(average + (variable - average) / count)
        self._counts[player].assign(count)

    def get_config(self):
        config = super().get_config()
        config.update(weight=self.weight, players=list(self.players))
        return config
