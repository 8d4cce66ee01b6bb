"""JAX primitives: a pure step with every piece of state threaded through.

Keras's JAX trainer calls `train_step(state, data)` under `jax.jit` and expects
the new state back. The state is four lists aligned with the model's trainable
variables, non-trainable variables (BatchNorm statistics, seed-generator
states), `model.optimizer.variables` (all players' optimizers, see
`PlayersOptimizer`) and metric variables.

The backend-agnostic step body runs inside one `StatelessScope` that maps every
variable to its value in `state`: reads see the current values and
`variable.assign` records the new value in the scope instead of mutating the
variable. `minimize` differentiates a pure function of the player's variables
that re-enters a nested scope, and pushes the state updates made inside it
(BatchNorm statistics, RNG) back out to the outer scope.
"""

import jax
import jax.numpy as jnp
import keras
from keras import ops

from keras_gan_zoo.backend import jax_conv
from keras_gan_zoo.backend.common import batch_norm_training  # noqa: F401
from keras_gan_zoo.backend.common import moments  # noqa: F401


def accelerator():
    """'GPU' when JAX's default device is a GPU, else 'CPU'."""
    return "GPU" if jax.default_backend() in ("gpu", "cuda", "rocm") else "CPU"


def _state_variables(model):
    return (
        model.trainable_variables,
        model.non_trainable_variables,
        model.optimizer.variables,
        model.metrics_variables,
    )


def train_step(model, state, data):
    groups = _state_variables(model)
    mapping = [
        (variable, value)
        for variables, values in zip(groups, state)
        for variable, value in zip(variables, values)
    ]
    with keras.StatelessScope(state_mapping=mapping) as scope:
        logs = model.adversarial_step(data)
    new_state = tuple([scope.get_current_value(v) for v in variables] for variables in groups)
    return logs, new_state


def _current_scope():
    scope = keras.src.backend.common.stateless_scope.get_stateless_scope()
    if scope is None:
        raise RuntimeError(
            "keras_gan_zoo's JAX primitives must run inside the model's train step "
            "(a StatelessScope that maps every variable to its value)."
        )
    return scope


def _scope_with(base_mapping, overrides):
    scope = keras.StatelessScope()
    scope.state_mapping = dict(base_mapping)
    scope.state_mapping.update(overrides)
    return scope


def minimize(loss_fn, variables, optimizer):
    outer = _current_scope()
    base_mapping = dict(outer.state_mapping)
    variable_ids = [id(v) for v in variables]

    def pure_loss(values):
        with _scope_with(base_mapping, zip(variable_ids, values)) as inner:
            loss, logs = loss_fn()
        # State written during the forward pass (BatchNorm statistics, seed
        # generators) must survive the differentiation: return it as aux.
        updates = {
            key: value
            for key, value in inner.state_mapping.items()
            if key not in variable_ids and base_mapping.get(key) is not value
        }
        return loss, (logs, updates)

    values = [base_mapping[key] for key in variable_ids]
    (loss, (logs, updates)), grads = jax.value_and_grad(pure_loss, has_aux=True)(values)
    outer.state_mapping.update(updates)
    optimizer.apply(grads, variables)
    return loss, logs


def input_gradient(fn, inputs):
    inputs = ops.convert_to_tensor(inputs)
    outer = keras.src.backend.common.stateless_scope.get_stateless_scope()

    def summed(x):
        if outer is None:
            outputs = fn(x)
        else:
            # State updates made while differentiating (BatchNorm statistics)
            # are dropped: they would leak tracers of this inner transform.
            with _scope_with(outer.state_mapping, {}):
                outputs = fn(x)
        return jnp.sum(outputs), outputs

    grads, outputs = jax.grad(summed, has_aux=True)(inputs)
    return outputs, grads


def differentiable_gradients(fn, values):
    values = [ops.convert_to_tensor(value) for value in values]
    # Pure: jax.grad composes with any enclosing transformation.
    return jax.value_and_grad(fn)(values)


conv = ops.conv
conv_transpose = jax_conv.conv_transpose
