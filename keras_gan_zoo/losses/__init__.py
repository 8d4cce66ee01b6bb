from keras_gan_zoo.losses.adversarial import AdversarialLoss
from keras_gan_zoo.losses.adversarial import CrossEntropyLoss
from keras_gan_zoo.losses.adversarial import HingeLoss
from keras_gan_zoo.losses.adversarial import LabelLoss
from keras_gan_zoo.losses.adversarial import LeastSquaresLoss
from keras_gan_zoo.losses.adversarial import RelativisticAverageLoss
from keras_gan_zoo.losses.adversarial import WassersteinLoss
from keras_gan_zoo.losses.adversarial import adversarial_loss_names
from keras_gan_zoo.losses.adversarial import discriminator_loss
from keras_gan_zoo.losses.adversarial import get_adversarial_loss
from keras_gan_zoo.losses.adversarial import minimax_generator_loss
from keras_gan_zoo.losses.adversarial import non_saturating_generator_loss
from keras_gan_zoo.losses.classification import class_accuracy
from keras_gan_zoo.losses.classification import class_cross_entropy
from keras_gan_zoo.losses.f_divergence import DIVERGENCES
from keras_gan_zoo.losses.f_divergence import FDivergenceLoss
from keras_gan_zoo.losses.information import categorical_code_loss
from keras_gan_zoo.losses.information import categorical_entropy
from keras_gan_zoo.losses.information import continuous_code_loss
from keras_gan_zoo.losses.information import continuous_entropy

__all__ = [
    "categorical_code_loss",
    "categorical_entropy",
    "continuous_code_loss",
    "continuous_entropy",
    "DIVERGENCES",
    "AdversarialLoss",
    "CrossEntropyLoss",
    "FDivergenceLoss",
    "HingeLoss",
    "LabelLoss",
    "LeastSquaresLoss",
    "RelativisticAverageLoss",
    "WassersteinLoss",
    "adversarial_loss_names",
    "class_accuracy",
    "class_cross_entropy",
    "discriminator_loss",
    "get_adversarial_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
]
