"""The engine every model in the zoo trains on: batches, latent priors, players, the step."""

from keras_gan_zoo.engine.adversarial_model import AdversarialModel
from keras_gan_zoo.engine.batch import Batch
from keras_gan_zoo.engine.batch import BatchSpec
from keras_gan_zoo.engine.latent_prior import LatentPrior
from keras_gan_zoo.engine.players import AUXILIARY
from keras_gan_zoo.engine.players import DISCRIMINATOR
from keras_gan_zoo.engine.players import GENERATOR
from keras_gan_zoo.engine.players import NetworkAverage
from keras_gan_zoo.engine.players import Player
from keras_gan_zoo.engine.training_guard import NonFiniteLossError
from keras_gan_zoo.engine.training_guard import TrainingGuard

__all__ = [
    "AUXILIARY",
    "DISCRIMINATOR",
    "GENERATOR",
    "AdversarialModel",
    "Batch",
    "BatchSpec",
    "LatentPrior",
    "NetworkAverage",
    "NonFiniteLossError",
    "Player",
    "TrainingGuard",
]
