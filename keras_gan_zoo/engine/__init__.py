from keras_gan_zoo.engine.adversarial_model import AdversarialModel
from keras_gan_zoo.engine.adversarial_model import Player
from keras_gan_zoo.engine.training_guard import NonFiniteLossError
from keras_gan_zoo.engine.training_guard import TrainingGuard

__all__ = ["AdversarialModel", "NonFiniteLossError", "Player", "TrainingGuard"]
