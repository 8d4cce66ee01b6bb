"""Gradient penalties on the discriminator, as tricks any model can switch on.

Each penalizes the norm of D's gradient with respect to its input, at
different points:

- `GradientPenalty` (WGAN-GP, Gulrajani et al. 2017): w E (norm - 1)^2 at random
  interpolates of real and fake examples;
- `DRAGANPenalty` (Kodali et al. 2017): w E (norm - 1)^2 around the real data;
- `R1Penalty` (Mescheder et al. 2018): (gamma / 2) E norm^2 on real data;
- `R2Penalty`: (gamma / 2) E norm^2 on generated data.

The gradient is taken per example: the penalty is on each example's gradient
norm over all its features (pixels and channels), never per pixel.
"""

import keras
from keras import ops

from keras_gan_zoo import backend
from keras_gan_zoo.engine.players import DISCRIMINATOR
from keras_gan_zoo.tricks.trick import Trick


def input_gradient_norms(discriminate, inputs):
    """Per-example L2 norm of the gradient of D's output with respect to its input.

    Args:
        discriminate: function from a batch to D's outputs, one per example.
        inputs: batch of shape (batch, ...).

    Returns:
        Tensor of shape (batch,), differentiable with respect to D's weights.
    """
    _, gradients = backend.input_gradient(discriminate, inputs)
    squared = ops.sum(ops.reshape(ops.square(gradients), (ops.shape(gradients)[0], -1)), axis=1)
    # The epsilon keeps the square root differentiable where the gradient is zero.
    return ops.sqrt(squared + 1e-12)


def _discriminate(model, batch):
    """D as a function of its input examples alone (a conditional D keeps the batch's labels)."""
    return lambda inputs: model.discriminate(inputs, batch)


def _per_example_uniform(batch, rank, seed):
    """One uniform weight per example, broadcastable over the example's axes."""
    return keras.random.uniform((batch,) + (1,) * (rank - 1), seed=seed)


def random_interpolates(real_inputs, fake_inputs, seed):
    """eps * real + (1 - eps) * fake, with one eps ~ U[0, 1] per example."""
    real_inputs = ops.convert_to_tensor(real_inputs)
    batch, rank = ops.shape(real_inputs)[0], len(real_inputs.shape)
    eps = _per_example_uniform(batch, rank, seed)
    return eps * real_inputs + (1.0 - eps) * fake_inputs


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class GradientPenalty(Trick):
    """WGAN-GP's penalty: w * E[(||grad D(x_hat)|| - target)^2].

    x_hat = eps * x + (1 - eps) * G(z), with one eps ~ U[0, 1] per example
    (Algorithm 1, lines 4-8). Drawing eps per pixel, a known bug in popular
    code, penalizes points off the segment between the two samples.

    Args:
        weight: lambda of the paper (10).
        target: the norm the gradient is pulled to (1 for a 1-Lipschitz critic).
        one_sided: penalize only norms above `target` (max(0, norm - target)^2),
            the variant the paper mentions in Section 4.

    Reference: Gulrajani et al., "Improved Training of Wasserstein GANs",
    NeurIPS 2017, https://arxiv.org/abs/1704.00028.
    """

    def __init__(self, weight=10.0, target=1.0, one_sided=False, **kwargs):
        super().__init__(**kwargs)
        self.weight = float(weight)
        self.target = float(target)
        self.one_sided = bool(one_sided)

    def log_names(self, role):
        return ("gp",) if role == DISCRIMINATOR else ()

    def penalty(self, model, role, real_inputs, fake_inputs, batch=None):
        if role != DISCRIMINATOR:
            return {}
        interpolates = random_interpolates(real_inputs, fake_inputs, model.seed_generator)
        excess = input_gradient_norms(_discriminate(model, batch), interpolates) - self.target
        if self.one_sided:
            excess = ops.relu(excess)
        return {"gp": self.weight * ops.mean(ops.square(excess))}

    def get_config(self):
        config = super().get_config()
        config.update(weight=self.weight, target=self.target, one_sided=self.one_sided)
        return config


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class DRAGANPenalty(Trick):
    """DRAGAN's penalty: w * E[(||grad D(x_hat)|| - 1)^2] around the real data.

    x_hat = x + eps * delta with delta = `perturbation` * std(x) * u,
    u ~ U[0, 1) per feature and eps ~ U[0, 1] per example: points between
    each real example and a random perturbation of it.
    # Deviation: the paper writes delta ~ N(0, cI); the authors' reference
    # code, whose results the paper reports, perturbs with 0.5 * std(x) * U[0, 1)
    # and interpolates, which is what is done here.

    Args:
        weight: lambda (10).
        perturbation: the 0.5 scale of the perturbation, relative to the
            standard deviation of the real batch.

    Reference: Kodali et al., "On Convergence and Stability of GANs", 2017,
    https://arxiv.org/abs/1705.07215 (Section 5).
    """

    def __init__(self, weight=10.0, perturbation=0.5, **kwargs):
        super().__init__(**kwargs)
        self.weight = float(weight)
        self.perturbation = float(perturbation)

    def log_names(self, role):
        return ("dragan",) if role == DISCRIMINATOR else ()

    def penalty(self, model, role, real_inputs, fake_inputs, batch=None):
        if role != DISCRIMINATOR:
            return {}
        real_inputs = ops.convert_to_tensor(real_inputs)
        batch, rank = ops.shape(real_inputs)[0], len(real_inputs.shape)
        noise = keras.random.uniform(ops.shape(real_inputs), seed=model.seed_generator)
        delta = self.perturbation * ops.std(real_inputs) * noise
        eps = _per_example_uniform(batch, rank, model.seed_generator)
        perturbed = real_inputs + eps * delta
        norms = input_gradient_norms(_discriminate(model, batch), perturbed)
        return {"dragan": self.weight * ops.mean(ops.square(norms - 1.0))}

    def get_config(self):
        config = super().get_config()
        config.update(weight=self.weight, perturbation=self.perturbation)
        return config


class _ZeroCenteredPenalty(Trick):
    name_in_logs = None

    def __init__(self, gamma=10.0, **kwargs):
        super().__init__(**kwargs)
        self.gamma = float(gamma)

    def log_names(self, role):
        return (self.name_in_logs,) if role == DISCRIMINATOR else ()

    def _penalty(self, model, inputs, batch):
        norms = input_gradient_norms(_discriminate(model, batch), inputs)
        return {self.name_in_logs: 0.5 * self.gamma * ops.mean(ops.square(norms))}

    def get_config(self):
        config = super().get_config()
        config.update(gamma=self.gamma)
        return config


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class R1Penalty(_ZeroCenteredPenalty):
    """R1: (gamma / 2) E_x[||grad D(x)||^2] on real data (Eq. 9 of the paper).

    Args:
        gamma: the penalty weight (10 in the paper's experiments).

    Reference: Mescheder et al., "Which Training Methods for GANs do actually
    Converge?", ICML 2018, https://arxiv.org/abs/1801.04406.
    """

    name_in_logs = "r1"

    def penalty(self, model, role, real_inputs, fake_inputs, batch=None):
        return self._penalty(model, real_inputs, batch) if role == DISCRIMINATOR else {}


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class R2Penalty(_ZeroCenteredPenalty):
    """R2: (gamma / 2) E_z[||grad D(G(z))||^2] on generated data (Eq. 10).

    Args:
        gamma: the penalty weight.

    Reference: Mescheder et al., "Which Training Methods for GANs do actually
    Converge?", ICML 2018, https://arxiv.org/abs/1801.04406.
    """

    name_in_logs = "r2"

    def penalty(self, model, role, real_inputs, fake_inputs, batch=None):
        return self._penalty(model, fake_inputs, batch) if role == DISCRIMINATOR else {}
