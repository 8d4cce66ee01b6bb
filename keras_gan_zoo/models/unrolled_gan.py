"""Unrolled GAN: G optimizes against D as it will be after k more updates.

Metz et al. (2017) define G's loss as f_K(theta_G, theta_D) = f(theta_G,
theta_D^K), where theta_D^0 = theta_D and theta_D^{k+1} is one update of D's
optimizer from theta_D^k on the current batch (Eq. 4-5). G's gradient is
taken *through* the K updates (Eq. 6): besides the usual term it carries
the term that anticipates how D will react to G's move, which is what stops
G from hopping from mode to mode. D itself is trained as usual (Eq. 7); the
unrolled copies of its weights are only used for G's loss.

The unrolled updates repeat D's real optimizer step as a differentiable
function: SGD, or Adam continued from D's current moment estimates and step
count (what the paper's experiments did). `first_order=True` drops the
second term (the gradient does not flow through the updates): a cheaper
shortcut that is *not* the method of the paper, named as such.

Default networks and optimizers: protocol V of the 2D mixture benchmark
(the paper's Section 3.1 and Appendix A): G and D are MLPs with two hidden
layers of 128 tanh units, z is 256-d, Adam with beta_1 0.5, learning rate
1e-3 for G and 1e-4 for D; 5 unrolling steps. DCGAN's networks for images.

Reference: Metz, Poole, Pfau and Sohl-Dickstein, "Unrolled Generative
Adversarial Networks", ICLR 2017, https://arxiv.org/abs/1611.02163.
"""

import keras
from keras import ops

from keras_gan_zoo import backend
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.models.gan import pack
from keras_gan_zoo.networks import dcgan_discriminator
from keras_gan_zoo.networks import dcgan_generator
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator


class _UnrolledOptimizer:
    """D's optimizer step as a pure, differentiable function of the weights."""

    def __init__(self, optimizer, variables):
        self.learning_rate = ops.convert_to_tensor(optimizer.learning_rate)
        # Backends subclass the optimizers (torch's fused Adam and SGD); weight
        # decay (AdamW) and momentum would need more state than is unrolled here.
        plain = not optimizer.weight_decay
        if isinstance(optimizer, keras.optimizers.Adam) and not optimizer.amsgrad and plain:
            self.kind = "adam"
            self.beta_1, self.beta_2 = optimizer.beta_1, optimizer.beta_2
            self.epsilon = optimizer.epsilon
            self.step = ops.cast(optimizer.iterations, "float32")
            # Keras keeps one moment pair per variable, indexed by the variable.
            index = optimizer._get_variable_index
            self.momentums = [optimizer._momentums[index(v)].value for v in variables]
            self.velocities = [optimizer._velocities[index(v)].value for v in variables]
        elif isinstance(optimizer, keras.optimizers.SGD) and not optimizer.momentum and plain:
            self.kind = "sgd"
        else:
            raise ValueError(
                f"UnrolledGAN unrolls D's optimizer as a differentiable function; it supports "
                f"Adam (without amsgrad or weight decay) and plain SGD, not "
                f"{type(optimizer).__name__}."
            )

    def update(self, weights, gradients):
        if self.kind == "sgd":
            return [w - self.learning_rate * g for w, g in zip(weights, gradients)]
        # Keras's Adam update (keras.optimizers.Adam.update_step), written out.
        self.step = self.step + 1.0
        alpha = (
            self.learning_rate
            * ops.sqrt(1.0 - self.beta_2**self.step)
            / (1.0 - self.beta_1**self.step)
        )
        new_weights = []
        for index, (weight, gradient) in enumerate(zip(weights, gradients)):
            m = self.momentums[index] + (gradient - self.momentums[index]) * (1.0 - self.beta_1)
            v = self.velocities[index] + (ops.square(gradient) - self.velocities[index]) * (
                1.0 - self.beta_2
            )
            self.momentums[index], self.velocities[index] = m, v
            # sqrt has an infinite derivative at 0 (a weight whose gradient is 0
            # so far); the tiny offset keeps G's second-order gradient finite
            # and changes no value above 1e-30.
            new_weights.append(weight - alpha * m / (ops.sqrt(v + 1e-30) + self.epsilon))
        return new_weights


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class UnrolledGAN(GAN):
    """GAN whose generator loss looks `unrolling_steps` D updates ahead.

    Args:
        unrolling_steps: K, the D updates G's loss is taken through. Default 5.
        first_order: if True, do not differentiate through the updates (a
            shortcut, not the paper's method). Default False.
        **kwargs: the `GAN` arguments.

    D's optimizer must be Adam or plain SGD (their steps are unrolled).
    """

    def __init__(self, *, unrolling_steps=5, first_order=False, latent_dim=None, **kwargs):
        if unrolling_steps < 0:
            raise ValueError(f"unrolling_steps must be >= 0, got {unrolling_steps}.")
        self.unrolling_steps = int(unrolling_steps)
        self.first_order = bool(first_order)
        if latent_dim is None and kwargs.get("generator") is None:
            latent_dim = 256
        super().__init__(latent_dim=latent_dim, **kwargs)

    def build_generator(self, latent_dim, data_shape):
        if len(data_shape) == 3:
            return dcgan_generator(latent_dim, data_shape)
        return mlp_generator(
            latent_dim, data_shape, units=(128, 128), activation="tanh", data_range=self.data_range
        )

    def build_discriminator(self, input_shape):
        if len(input_shape) == 3:
            return dcgan_discriminator(input_shape)
        return dense_discriminator(input_shape, units=(128, 128), activation="tanh")

    def default_optimizer(self, prefix):
        learning_rate = 1e-3 if prefix == "g" else 1e-4
        return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.5, epsilon=1e-8)

    def generator_objective(self, real_inputs, fake_inputs, batch):
        return self.unrolled_generator_loss(real_inputs, fake_inputs), {}

    def unrolled_generator_loss(self, real_inputs, fake_inputs):
        """G's adversarial loss against D after K unrolled updates (Eq. 5).

        Differentiable with respect to `fake_inputs`, through the updates.
        """
        discriminator = self.discriminator
        non_trainable = [v.value for v in discriminator.non_trainable_variables]
        weights = [v.value for v in discriminator.trainable_variables]

        def outputs(weights, data):
            return discriminator.stateless_call(
                weights, non_trainable, pack(data, self.packing), training=True
            )[0]

        def d_loss(weights):
            real_target, fake_target = self.label_targets(ops.shape(real_inputs)[0] // self.packing)
            return self.adversarial_loss.discriminator_loss(
                outputs(weights, real_inputs),
                outputs(weights, fake_inputs),
                real_target,
                fake_target,
            )

        # Eq. 4: K steps of D's optimizer on this batch, kept differentiable.
        if self.unrolling_steps:
            optimizer = _UnrolledOptimizer(self.d_optimizer, discriminator.trainable_variables)
            for _ in range(self.unrolling_steps):
                _, gradients = backend.differentiable_gradients(d_loss, weights)
                if self.first_order:
                    gradients = [ops.stop_gradient(g) for g in gradients]
                weights = optimizer.update(weights, gradients)
        real_outputs = None
        if self.adversarial_loss.generator_uses_real:
            real_outputs = outputs(weights, real_inputs)
        return self.adversarial_loss.generator_loss(outputs(weights, fake_inputs), real_outputs)

    def get_config(self):
        config = super().get_config()
        config.update(unrolling_steps=self.unrolling_steps, first_order=self.first_order)
        return config
