"""The interface every training trick implements.

A trick is an option any GAN in the zoo can switch on (`GAN(tricks=[...])`):
a gradient penalty, label noise, instance noise, an image pool, feature
matching... Each one hooks into the adversarial step at a few fixed points,
all written with `keras.ops`, so it runs the same on every backend:

1. `inputs`: change what D sees, in the update of a player with a given
   role (augmentation, instance noise, replayed fakes).
2. `targets`: change the real/fake targets of a cross-entropy D loss.
3. `penalty`: add terms to a player's loss (gradient penalties, historical
   averaging); each term is logged as `<prefix>_<name>` (`d_gp`).
4. `generator_loss`: replace G's adversarial loss (feature matching).
5. `after_update`: run after a player's optimizer update (moving averages).

Hooks name a player by its role, `keras_gan_zoo.engine.DISCRIMINATOR` or
`GENERATOR`, never by the model's optimizer names, and the per-update hooks
get the step's whole `Batch` (`batch=`), e.g. to evaluate a conditional D on
the batch's labels (`model.discriminate(x, batch)`).

A trick is a `keras.layers.Layer`, so the variables it keeps (an image pool,
running averages) are tracked, saved with the model and threaded through
the jitted JAX step like any other model state.
"""

import keras

from keras_gan_zoo.engine.players import DISCRIMINATOR  # noqa: F401 (for subclasses)
from keras_gan_zoo.engine.players import GENERATOR  # noqa: F401


class Trick(keras.layers.Layer):
    """Base class of the training tricks; every hook defaults to "no change".

    Subclasses override the hooks they need. `attach(model)` is called once
    by the model's constructor, after its networks exist: check compatibility
    and create variables there.
    """

    def attach(self, model):
        self.built = True

    def log_names(self, role):
        """Names of the terms `penalty(model, role, ...)` returns."""
        return ()

    def inputs(self, model, role, real_inputs, fake_inputs, batch=None):
        """(real, fake) examples D sees in the update of the player with `role`."""
        return real_inputs, fake_inputs

    def targets(self, model, real_target, fake_target, batch_size):
        """Targets of a cross-entropy D loss: floats or (batch,) tensors."""
        return real_target, fake_target

    def penalty(self, model, role, real_inputs, fake_inputs, batch=None):
        """{name: scaled term} added to the loss of the player with `role`."""
        return {}

    def generator_loss(self, model, real_inputs, fake_inputs, loss, batch=None):
        """G's loss, given the adversarial one."""
        return loss

    def after_update(self, model, role):
        """Runs after each optimizer update of the player with `role`."""
