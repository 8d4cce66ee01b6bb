"""Historical averaging (Salimans et al. 2016, Section 3.3)."""

import keras
from keras import ops

from keras_gan_zoo.engine.players import ROLES
from keras_gan_zoo.tricks.trick import Trick

_OLD_PLAYER_NAMES = {"d": "discriminator", "g": "generator"}


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class HistoricalAveraging(Trick):
    """Pulls each player's weights towards their running average.

    Adds w * sum_i ||theta_i - mean_t theta_i[t]||^2 to a player's loss,
    where the mean is over the weights after every past update of that
    player. Inspired by fictitious play: it damps the oscillations of
    gradient descent around an equilibrium.

    Args:
        weight: w.
        roles: the players, by role (`"discriminator"`, `"generator"`),
            whose weights are averaged. Default both.

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, https://arxiv.org/abs/1606.03498 (Section 3.3).
    """

    def __init__(self, weight=1e-3, roles=ROLES, players=None, **kwargs):
        super().__init__(**kwargs)
        self.weight = float(weight)
        if players is not None:  # the name of this argument before roles existed
            roles = [_OLD_PLAYER_NAMES.get(name, name) for name in players]
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise ValueError(f"HistoricalAveraging: unknown roles {unknown}; roles are {ROLES}.")
        self.roles = tuple(roles)

    def attach(self, model):
        self._averages = {}
        self._counts = {}
        for role in self.roles:
            self._averages[role] = [
                self.add_weight(
                    shape=variable.shape,
                    initializer="zeros",
                    trainable=False,
                    name=f"{role}_average_{index}",
                )
                for index, variable in enumerate(self._variables(model, role))
            ]
            self._counts[role] = self.add_weight(
                shape=(), initializer="zeros", trainable=False, name=f"{role}_updates"
            )
        super().attach(model)

    @staticmethod
    def _variables(model, role):
        """The trainable variables of the model's players with `role`."""
        return [v for p in model.players() if p.role == role for v in p.trainable_variables]

    def log_names(self, role):
        return ("historical_average",) if role in self.roles else ()

    def penalty(self, model, role, real_inputs, fake_inputs, batch=None):
        if role not in self.roles:
            return {}
        variables = self._variables(model, role)
        # Before the first update there is no history: the penalty is zero.
        started = ops.cast(self._counts[role] > 0, "float32")
        total = sum(
            ops.sum(ops.square(variable - ops.stop_gradient(average)))
            for variable, average in zip(variables, self._averages[role])
        )
        return {"historical_average": self.weight * started * total}

    def after_update(self, model, role):
        if role not in self.roles:
            return
        count = self._counts[role] + 1.0
        for variable, average in zip(self._variables(model, role), self._averages[role]):
            average.assign(average + (variable - average) / count)
        self._counts[role].assign(count)

    def get_config(self):
        config = super().get_config()
        config.update(weight=self.weight, roles=list(self.roles))
        return config
