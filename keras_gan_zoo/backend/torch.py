"""PyTorch primitives: autograd, eager execution."""

import torch
from keras import ops

from keras_gan_zoo.backend.common import moments  # noqa: F401
from keras_gan_zoo.backend.torch_nn import batch_norm_training  # noqa: F401
from keras_gan_zoo.backend.torch_nn import conv  # noqa: F401
from keras_gan_zoo.backend.torch_nn import conv_transpose  # noqa: F401


def accelerator():
    """'GPU' when Keras's torch backend runs on CUDA, else 'CPU'."""
    return "GPU" if torch.cuda.is_available() else "CPU"


def train_step(model, data):
    return model.adversarial_step(data)


def minimize(loss_fn, variables, optimizer):
    loss, logs = loss_fn()
    grads = torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True)
    with torch.no_grad():
        optimizer.apply(list(grads), variables)
    return loss.detach(), {name: value.detach() for name, value in logs.items()}


def input_gradient(fn, inputs):
    inputs = ops.convert_to_tensor(inputs)
    if not inputs.requires_grad:
        # A leaf that autograd can differentiate with respect to; when the
        # inputs already depend on trainable weights (interpolates built from
        # generated images), keep that path instead.
        inputs = inputs.detach().requires_grad_(True)
    outputs = fn(inputs)
    (grads,) = torch.autograd.grad(outputs.sum(), inputs, create_graph=True)
    return outputs, grads


def differentiable_gradients(fn, values):
    values = [ops.convert_to_tensor(value) for value in values]
    values = [v if v.requires_grad else v.detach().requires_grad_(True) for v in values]
    output = fn(values)
    grads = torch.autograd.grad(output, values, create_graph=True, allow_unused=True)
    return output, [torch.zeros_like(v) if g is None else g for v, g in zip(values, grads)]
