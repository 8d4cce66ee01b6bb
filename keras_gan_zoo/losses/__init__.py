from keras_gan_zoo.losses.adversarial import AdversarialLoss
from keras_gan_zoo.losses.adversarial import LabelLoss
from keras_gan_zoo.losses.adversarial import discriminator_loss
from keras_gan_zoo.losses.adversarial import get_adversarial_loss
from keras_gan_zoo.losses.adversarial import minimax_generator_loss
from keras_gan_zoo.losses.adversarial import non_saturating_generator_loss

__all__ = [
    "AdversarialLoss",
    "LabelLoss",
    "discriminator_loss",
    "get_adversarial_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
]
