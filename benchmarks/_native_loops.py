"""Native DCGAN training loops (no Keras) for benchmarks/train_step.py.

Each `build_*` function returns a `Loop`: `step()` runs one full training step
(D update, then G update) and returns framework tensors with the two losses;
`sync(out)` waits until they are computed; `losses(out)` turns them into
floats; `shapes()` returns the shapes of G(z) and D(x) for a batch.

The network, optimizer and step are those of `keras_gan_zoo.DCGAN(image_shape=
(28, 28, 1), latent_dim=100)` with its default `compile()`:

- G: z (100) -> Dense 7*7*128 (no bias) -> reshape 7x7x128 -> BN -> ReLU
  -> ConvTranspose 64, k4, s2, "same", no bias -> BN -> ReLU
  -> ConvTranspose 1, k4, s2, "same", bias -> tanh (28x28x1).
- D: Conv 64, k4, s2, "same", bias -> LeakyReLU 0.2 -> Conv 128, k4, s2,
  "same", no bias -> BN -> LeakyReLU 0.2 -> flatten -> Dense 1 (a logit).
- BatchNorm in training mode (batch statistics, eps 1e-3), moving averages
  updated with momentum 0.9; weights N(0, 0.02), biases 0, gamma 1, beta 0.
- One step: fresh z, G(z) without gradient, D on the real batch and on the
  fake batch separately, BCE-with-logits D loss, Adam on D; then fresh z,
  G(z), D, non-saturating G loss, Adam on G (only G's weights get gradients).
- Adam: learning rate 2e-4, beta_1 0.5, beta_2 0.999, epsilon 1e-7, in the
  form Keras uses (epsilon added to sqrt(v), bias corrections folded into
  the step size); torch uses torch.optim.Adam (epsilon added to the
  bias-corrected sqrt(v): a negligible difference at this epsilon).
- The real batch is one fixed tensor in [-1, 1]: data loading is not timed.

Layouts are each framework's natural one: NCHW for PyTorch, NHWC for
TensorFlow and JAX (the layout Keras uses on every backend).
"""

import dataclasses
import importlib.util
import pathlib
from collections.abc import Callable

BATCH = 64
LATENT = 100
LEARNING_RATE = 2e-4
BETA_1 = 0.5
BETA_2 = 0.999
ADAM_EPSILON = 1e-7
BN_EPSILON = 1e-3
BN_MOMENTUM = 0.9
LEAK = 0.2
INIT_STDDEV = 0.02


@dataclasses.dataclass
class Loop:
    step: Callable  # () -> out; one D update then one G update
    sync: Callable  # (out) -> None; blocks until `out` is computed
    losses: Callable  # (out) -> (d_loss, g_loss) as floats
    shapes: Callable  # () -> (shape of G(z), shape of D(real))


# ---------------------------------------------------------------- PyTorch


def build_torch(seed=0):
    import torch
    from torch import nn

    torch.manual_seed(seed)

    def batchnorm(channels):
        # torch's momentum is the weight of the new batch: 1 - Keras's momentum.
        return nn.BatchNorm2d(channels, eps=BN_EPSILON, momentum=1 - BN_MOMENTUM)

    generator = nn.Sequential(
        nn.Linear(LATENT, 7 * 7 * 128, bias=False),
        nn.Unflatten(1, (128, 7, 7)),
        batchnorm(128),
        nn.ReLU(),
        nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1, bias=False),
        batchnorm(64),
        nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, stride=2, padding=1),
        nn.Tanh(),
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, 64, 4, stride=2, padding=1),
        nn.LeakyReLU(LEAK),
        nn.Conv2d(64, 128, 4, stride=2, padding=1, bias=False),
        batchnorm(128),
        nn.LeakyReLU(LEAK),
        nn.Flatten(),
        nn.Linear(7 * 7 * 128, 1),
    )
    for module in [*generator, *discriminator]:
        if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(module.weight, 0.0, INIT_STDDEV)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    generator.train()
    discriminator.train()

    def adam(module):
        betas = (BETA_1, BETA_2)
        return torch.optim.Adam(module.parameters(), LEARNING_RATE, betas=betas, eps=ADAM_EPSILON)

    d_optimizer, g_optimizer = adam(discriminator), adam(generator)
    g_parameters = list(generator.parameters())
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(BATCH, 1, 28, 28) * 2 - 1
    ones, zeros = torch.ones(BATCH, 1), torch.zeros(BATCH, 1)

    def step():
        with torch.no_grad():
            fake = generator(torch.randn(BATCH, LATENT))
        d_loss = bce(discriminator(real), ones) + bce(discriminator(fake), zeros)
        d_optimizer.zero_grad()
        d_loss.backward()
        d_optimizer.step()

        g_loss = bce(discriminator(generator(torch.randn(BATCH, LATENT))), ones)
        g_optimizer.zero_grad()
        # Only G's weights: D's weight gradients are not computed at all.
        g_loss.backward(inputs=g_parameters)
        g_optimizer.step()
        return d_loss.detach(), g_loss.detach()

    def shapes():
        with torch.no_grad():
            fake = generator(torch.randn(BATCH, LATENT))
            return tuple(fake.shape), tuple(discriminator(real).shape)

    return Loop(
        step=step,
        sync=lambda out: None,  # CPU ops are synchronous
        losses=lambda out: (float(out[0]), float(out[1])),
        shapes=shapes,
    )


# ------------------------------------------------------------- TensorFlow


def build_tensorflow(seed=0):
    import tensorflow as tf

    tf.random.set_seed(seed)

    def normal(*shape):
        return tf.Variable(tf.random.normal(shape, stddev=INIT_STDDEV))

    def zeros(n):
        return tf.Variable(tf.zeros(n))

    def ones(n):
        return tf.Variable(tf.ones(n))

    # Transposed-conv kernels in TF's layout (h, w, out_channels, in_channels),
    # the same as Keras's Conv2DTranspose kernel.
    g_vars = {
        "dense": normal(LATENT, 7 * 7 * 128),
        "bn0_gamma": ones(128),
        "bn0_beta": zeros(128),
        "convt1": normal(4, 4, 64, 128),
        "bn1_gamma": ones(64),
        "bn1_beta": zeros(64),
        "convt2": normal(4, 4, 1, 64),
        "convt2_bias": zeros(1),
    }
    d_vars = {
        "conv0": normal(4, 4, 1, 64),
        "conv0_bias": zeros(64),
        "conv1": normal(4, 4, 64, 128),
        "bn1_gamma": ones(128),
        "bn1_beta": zeros(128),
        "dense": normal(7 * 7 * 128, 1),
        "dense_bias": zeros(1),
    }
    moving = {
        name: (zeros(n), ones(n)) for name, n in (("g_bn0", 128), ("g_bn1", 64), ("d_bn1", 128))
    }

    def batchnorm(x, name, gamma, beta):
        mean, variance = tf.nn.moments(x, axes=[0, 1, 2])
        moving_mean, moving_variance = moving[name]
        moving_mean.assign(BN_MOMENTUM * moving_mean + (1 - BN_MOMENTUM) * mean)
        moving_variance.assign(BN_MOMENTUM * moving_variance + (1 - BN_MOMENTUM) * variance)
        return tf.nn.batch_normalization(x, mean, variance, beta, gamma, BN_EPSILON)

    def generator(z):
        v = g_vars
        x = tf.reshape(tf.matmul(z, v["dense"]), (-1, 7, 7, 128))
        x = tf.nn.relu(batchnorm(x, "g_bn0", v["bn0_gamma"], v["bn0_beta"]))
        x = tf.nn.conv2d_transpose(x, v["convt1"], (BATCH, 14, 14, 64), 2, padding="SAME")
        x = tf.nn.relu(batchnorm(x, "g_bn1", v["bn1_gamma"], v["bn1_beta"]))
        x = tf.nn.conv2d_transpose(x, v["convt2"], (BATCH, 28, 28, 1), 2, padding="SAME")
        return tf.tanh(x + v["convt2_bias"])

    def discriminator(x):
        v = d_vars
        x = tf.nn.leaky_relu(tf.nn.conv2d(x, v["conv0"], 2, "SAME") + v["conv0_bias"], LEAK)
        x = tf.nn.conv2d(x, v["conv1"], 2, "SAME")
        x = tf.nn.leaky_relu(batchnorm(x, "d_bn1", v["bn1_gamma"], v["bn1_beta"]), LEAK)
        return tf.matmul(tf.reshape(x, (BATCH, -1)), v["dense"]) + v["dense_bias"]

    def bce(logits, target):
        labels = tf.fill(tf.shape(logits), target)
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels, logits))

    def adam(variables):
        slots = [(tf.Variable(tf.zeros_like(v)), tf.Variable(tf.zeros_like(v))) for v in variables]
        iterations = tf.Variable(0.0)

        def apply(grads):
            iterations.assign_add(1.0)
            step_size = LEARNING_RATE * tf.sqrt(1 - BETA_2**iterations) / (1 - BETA_1**iterations)
            for variable, grad, (m, v) in zip(variables, grads, slots):
                m.assign_add((grad - m) * (1 - BETA_1))
                v.assign_add((tf.square(grad) - v) * (1 - BETA_2))
                variable.assign_sub(step_size * m / (tf.sqrt(v) + ADAM_EPSILON))

        return apply

    d_list, g_list = list(d_vars.values()), list(g_vars.values())
    d_apply, g_apply = adam(d_list), adam(g_list)
    real = tf.random.uniform((BATCH, 28, 28, 1), -1, 1)

    @tf.function
    def step():
        fake = generator(tf.random.normal((BATCH, LATENT)))
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(d_list)
            d_loss = bce(discriminator(real), 1.0) + bce(discriminator(fake), 0.0)
        d_apply(tape.gradient(d_loss, d_list))
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(g_list)
            g_loss = bce(discriminator(generator(tf.random.normal((BATCH, LATENT)))), 1.0)
        g_apply(tape.gradient(g_loss, g_list))
        return d_loss, g_loss

    def shapes():
        fake = generator(tf.random.normal((BATCH, LATENT)))
        return tuple(fake.shape), tuple(discriminator(real).shape)

    return Loop(
        step=step,
        sync=lambda out: out[1].numpy(),
        losses=lambda out: (float(out[0].numpy()), float(out[1].numpy())),
        shapes=shapes,
    )


# -------------------------------------------------------------------- JAX


def load_jax_conv():
    """keras_gan_zoo.backend.jax_conv, loaded from its file.

    The module is plain JAX. Importing it through the package would run
    `keras_gan_zoo/__init__.py`, which imports Keras and every model; loading
    the file keeps this loop free of Keras.
    """
    path = pathlib.Path(__file__).resolve().parents[1] / "keras_gan_zoo/backend/jax_conv.py"
    spec = importlib.util.spec_from_file_location("_bench_jax_conv", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_jax(seed=0, fixed_conv_transpose_grad=False):
    import jax
    import jax.numpy as jnp
    from jax import lax

    dimension_numbers = ("NHWC", "HWIO", "NHWC")
    if fixed_conv_transpose_grad:
        jax_conv = load_jax_conv()

        def conv_transpose(x, kernel):
            return jax_conv.conv_transpose(x, kernel, 2, "same", data_format="channels_last")

    else:

        def conv_transpose(x, kernel):
            # Exactly what keras.ops.conv_transpose(x, kernel, 2, "same") runs on
            # JAX: kernel (h, w, out, in), Keras's padding for k4 s2 "same"
            # ((2, 2) per side), kernel flipped and transposed by lax.
            return lax.conv_transpose(
                x,
                kernel,
                (2, 2),
                padding=((2, 2), (2, 2)),
                dimension_numbers=dimension_numbers,
                transpose_kernel=True,
            )

    def conv(x, kernel):
        return lax.conv_general_dilated(
            x, kernel, (2, 2), "SAME", dimension_numbers=dimension_numbers
        )

    keys = iter(jax.random.split(jax.random.PRNGKey(seed), 8))

    def normal(*shape):
        return INIT_STDDEV * jax.random.normal(next(keys), shape, jnp.float32)

    g_params = {
        "dense": normal(LATENT, 7 * 7 * 128),
        "bn0_gamma": jnp.ones(128),
        "bn0_beta": jnp.zeros(128),
        "convt1": normal(4, 4, 64, 128),
        "bn1_gamma": jnp.ones(64),
        "bn1_beta": jnp.zeros(64),
        "convt2": normal(4, 4, 1, 64),
        "convt2_bias": jnp.zeros(1),
    }
    d_params = {
        "conv0": normal(4, 4, 1, 64),
        "conv0_bias": jnp.zeros(64),
        "conv1": normal(4, 4, 64, 128),
        "bn1_gamma": jnp.ones(128),
        "bn1_beta": jnp.zeros(128),
        "dense": normal(7 * 7 * 128, 1),
        "dense_bias": jnp.zeros(1),
    }
    g_moving = {"bn0": (jnp.zeros(128), jnp.ones(128)), "bn1": (jnp.zeros(64), jnp.ones(64))}
    d_moving = {"bn1": (jnp.zeros(128), jnp.ones(128))}

    def batchnorm(x, gamma, beta, moving):
        mean, variance = x.mean((0, 1, 2)), x.var((0, 1, 2))
        y = (x - mean) * lax.rsqrt(variance + BN_EPSILON) * gamma + beta
        moving_mean, moving_variance = moving
        stats = jax.lax.stop_gradient((mean, variance))
        moving = (
            BN_MOMENTUM * moving_mean + (1 - BN_MOMENTUM) * stats[0],
            BN_MOMENTUM * moving_variance + (1 - BN_MOMENTUM) * stats[1],
        )
        return y, moving

    def generator(p, moving, z):
        x = (z @ p["dense"]).reshape(-1, 7, 7, 128)
        x, bn0 = batchnorm(x, p["bn0_gamma"], p["bn0_beta"], moving["bn0"])
        x = conv_transpose(jax.nn.relu(x), p["convt1"])
        x, bn1 = batchnorm(x, p["bn1_gamma"], p["bn1_beta"], moving["bn1"])
        x = conv_transpose(jax.nn.relu(x), p["convt2"])
        return jnp.tanh(x + p["convt2_bias"]), {"bn0": bn0, "bn1": bn1}

    def discriminator(p, moving, x):
        x = jax.nn.leaky_relu(conv(x, p["conv0"]) + p["conv0_bias"], LEAK)
        x, bn1 = batchnorm(conv(x, p["conv1"]), p["bn1_gamma"], p["bn1_beta"], moving["bn1"])
        x = jax.nn.leaky_relu(x, LEAK).reshape(x.shape[0], -1)
        return x @ p["dense"] + p["dense_bias"], {"bn1": bn1}

    def bce(logits, target):
        # Binary cross-entropy with logits for a constant target of 1 or 0.
        return jnp.mean(jax.nn.softplus(-logits if target == 1 else logits))

    def adam(params, grads, state):
        iterations, ms, vs = state
        iterations = iterations + 1
        ms = jax.tree.map(lambda m, g: m + (g - m) * (1 - BETA_1), ms, grads)
        vs = jax.tree.map(lambda v, g: v + (g * g - v) * (1 - BETA_2), vs, grads)
        step_size = LEARNING_RATE * jnp.sqrt(1 - BETA_2**iterations) / (1 - BETA_1**iterations)
        params = jax.tree.map(
            lambda p, m, v: p - step_size * m / (jnp.sqrt(v) + ADAM_EPSILON), params, ms, vs
        )
        return params, (iterations, ms, vs)

    def adam_state(params):
        # Distinct buffers for m and v: the state is donated to the jitted step.
        zeros = jax.tree.map(jnp.zeros_like, params)
        return (jnp.zeros((), jnp.float32), zeros, jax.tree.map(jnp.zeros_like, params))

    def train_step(state, real):
        g_params, d_params, g_moving, d_moving, g_adam, d_adam, key = state
        key, d_key, g_key = jax.random.split(key, 3)

        fake, g_moving = generator(g_params, g_moving, jax.random.normal(d_key, (BATCH, LATENT)))

        def d_loss_fn(d_params):
            real_logits, moving = discriminator(d_params, d_moving, real)
            fake_logits, moving = discriminator(d_params, moving, fake)
            return bce(real_logits, 1) + bce(fake_logits, 0), moving

        (d_loss, d_moving), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(d_params)
        d_params, d_adam = adam(d_params, grads, d_adam)

        def g_loss_fn(g_params):
            z = jax.random.normal(g_key, (BATCH, LATENT))
            fake, new_g_moving = generator(g_params, g_moving, z)
            logits, new_d_moving = discriminator(d_params, d_moving, fake)
            return bce(logits, 1), (new_g_moving, new_d_moving)

        (g_loss, (g_moving, d_moving)), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
            g_params
        )
        g_params, g_adam = adam(g_params, grads, g_adam)
        state = (g_params, d_params, g_moving, d_moving, g_adam, d_adam, key)
        return state, (d_loss, g_loss)

    jitted = jax.jit(train_step, donate_argnums=0)
    real = jax.random.uniform(next(keys), (BATCH, 28, 28, 1), minval=-1.0, maxval=1.0)
    holder = [
        (
            g_params,
            d_params,
            g_moving,
            d_moving,
            adam_state(g_params),
            adam_state(d_params),
            jax.random.PRNGKey(seed + 1),
        )
    ]

    def step():
        holder[0], losses = jitted(holder[0], real)
        return losses

    def shapes():
        g_params, d_params, g_moving, d_moving = holder[0][:4]
        fake, _ = generator(g_params, g_moving, jnp.zeros((BATCH, LATENT)))
        logits, _ = discriminator(d_params, d_moving, real)
        return tuple(fake.shape), tuple(logits.shape)

    loop = Loop(
        step=step,
        sync=jax.block_until_ready,
        losses=lambda out: (float(out[0]), float(out[1])),
        shapes=shapes,
    )
    loop.params = lambda: holder[0][:2]
    return loop


BUILDERS = {
    "native-torch": build_torch,
    "native-tensorflow": build_tensorflow,
    "native-jax": lambda seed=0: build_jax(seed, fixed_conv_transpose_grad=False),
    "native-jax-fixed": lambda seed=0: build_jax(seed, fixed_conv_transpose_grad=True),
}
