"""Feature matching (Salimans et al. 2016, Section 3.1)."""

import keras
from keras import ops

from keras_gan_zoo.tricks.trick import Trick


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class FeatureMatching(Trick):
    """G matches the mean of D's intermediate features on real data.

    G's loss becomes ||E f(x) - E f(G(z))||^2, with f the activations of one
    layer of D; D keeps its own loss. G no longer chases D's current verdict,
    which is what overtrains it into collapse.

    Args:
        layer: name of the discriminator layer whose output is f. D must be a
            functional model (or Sequential) so that the layer's output can be
            reached.
        weight: weight of the adversarial G loss kept beside the feature
            term; 0 (the paper) replaces it entirely.

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, https://arxiv.org/abs/1606.03498 (Section 3.1).
    """

    def __init__(self, layer, weight=0.0, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer
        self.weight = float(weight)

    def attach(self, model):
        discriminator = model.discriminator
        try:
            features = discriminator.get_layer(self.layer).output
        except (ValueError, AttributeError) as error:
            layers = [layer.name for layer in getattr(discriminator, "layers", [])]
            raise ValueError(
                f"FeatureMatching: the discriminator has no layer {self.layer!r} whose output "
                f"can be read (it must be a functional model). Its layers: {layers}."
            ) from error
        # Shares D's layers and weights; only reads an intermediate output.
        inputs = discriminator.inputs
        inputs = inputs[0] if len(inputs) == 1 else inputs
        self._features = keras.Model(inputs, features, name="d_features")
        super().attach(model)

    def generator_loss(self, model, real_inputs, fake_inputs, loss, batch=None):
        real_features = ops.stop_gradient(self._features(real_inputs, training=True))
        fake_features = self._features(fake_inputs, training=True)
        difference = ops.mean(real_features, axis=0) - ops.mean(fake_features, axis=0)
        return ops.sum(ops.square(difference)) + self.weight * loss

    def get_config(self):
        config = super().get_config()
        config.update(layer=self.layer, weight=self.weight)
        return config
