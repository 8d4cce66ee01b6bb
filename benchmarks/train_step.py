"""Times the DCGAN train step on each Keras backend against native loops.

DCGAN 28x28x1, batch 64, z 100, the architecture of `keras_gan_zoo.DCGAN`
(filters 64): G = Dense(7*7*128) -> BN -> ReLU -> ConvT(64, 4, s2) -> BN -> ReLU
-> ConvT(1, 4, s2) -> tanh; D = Conv(64, 4, s2) -> LReLU -> Conv(128, 4, s2) -> BN
-> LReLU -> Dense(1). One step = one D update (fresh z, real and fake batches)
then one G update (fresh z), Adam(2e-4, beta_1 0.5), BCE with logits.

Every configuration runs in its own process (the Keras backend is fixed at
import), interleaved over rounds so that machine noise hits all of them alike.
Reported: the median ms/step over all timed steps, and ratios against the
native loop of the same framework and against native PyTorch.

    python benchmarks/train_step.py [--rounds 3] [--steps 20] [--only keras-jax,native-torch]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

BATCH, LATENT, WARMUP = 64, 100, 5
CONFIGS = ("native-torch", "native-tensorflow", "native-jax", "keras-tensorflow", "keras-jax",
           "keras-torch")  # fmt: skip


def _timed(step, steps, sync):
    for _ in range(WARMUP):
        sync(step())
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        sync(step())
        times.append((time.perf_counter() - start) * 1000)
    return times


def native_torch(steps):
    import torch
    from torch import nn

    def init(module):
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(module.weight, 0.0, 0.02)

    generator = nn.Sequential(
        nn.Linear(LATENT, 7 * 7 * 128, bias=False), nn.Unflatten(1, (128, 7, 7)),
        nn.BatchNorm2d(128), nn.ReLU(),
        nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh(),
    )  # fmt: skip
    discriminator = nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 128, 1),
    )  # fmt: skip
    generator.apply(init)
    discriminator.apply(init)
    d_opt = torch.optim.Adam(discriminator.parameters(), 2e-4, betas=(0.5, 0.999), eps=1e-7)
    g_opt = torch.optim.Adam(generator.parameters(), 2e-4, betas=(0.5, 0.999), eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(BATCH, 1, 28, 28) * 2 - 1
    ones, zeros = torch.ones(BATCH, 1), torch.zeros(BATCH, 1)

    def step():
        fake = generator(torch.randn(BATCH, LATENT)).detach()
        d_loss = bce(discriminator(real), ones) + bce(discriminator(fake), zeros)
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_loss = bce(discriminator(generator(torch.randn(BATCH, LATENT))), ones)
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        return g_loss

    return _timed(step, steps, lambda loss: loss.item())


def _adam_tf(tf, variables):
    slots = [(tf.Variable(tf.zeros_like(v)), tf.Variable(tf.zeros_like(v))) for v in variables]
    count = tf.Variable(0.0)

    def apply(grads):
        count.assign_add(1.0)
        correction = tf.sqrt(1 - 0.999**count) / (1 - 0.5**count)
        for v, g, (m, s) in zip(variables, grads, slots):
            m.assign(0.5 * m + 0.5 * g)
            s.assign(0.999 * s + 0.001 * g * g)
            v.assign_sub(2e-4 * correction * m / (tf.sqrt(s) + 1e-7))

    return apply


def native_tensorflow(steps):
    import tensorflow as tf

    normal = lambda *shape: tf.Variable(tf.random.normal(shape, stddev=0.02))  # noqa: E731
    g_vars = [normal(LATENT, 7 * 7 * 128), tf.Variable(tf.ones(128)), tf.Variable(tf.zeros(128)),
              normal(4, 4, 64, 128), tf.Variable(tf.ones(64)), tf.Variable(tf.zeros(64)),
              normal(4, 4, 1, 64), tf.Variable(tf.zeros(1))]  # fmt: skip
    d_vars = [normal(4, 4, 1, 64), tf.Variable(tf.zeros(64)), normal(4, 4, 64, 128),
              tf.Variable(tf.ones(128)), tf.Variable(tf.zeros(128)), normal(7 * 7 * 128, 1),
              tf.Variable(tf.zeros(1))]  # fmt: skip

    def bn(x, gamma, beta):
        mean, var = tf.nn.moments(x, axes=[0, 1, 2])
        return tf.nn.batch_normalization(x, mean, var, beta, gamma, 1e-3)

    def generator(z):
        w0, g0, b0, k1, g1, b1, k2, c2 = g_vars
        x = tf.nn.relu(bn(tf.reshape(z @ w0, (-1, 7, 7, 128)), g0, b0))
        x = tf.nn.conv2d_transpose(x, k1, (BATCH, 14, 14, 64), 2, padding="SAME")
        x = tf.nn.relu(bn(x, g1, b1))
        return tf.tanh(tf.nn.conv2d_transpose(x, k2, (BATCH, 28, 28, 1), 2, "SAME") + c2)

    def discriminator(x):
        k0, c0, k1, g1, b1, w2, c2 = d_vars
        x = tf.nn.leaky_relu(tf.nn.conv2d(x, k0, 2, "SAME") + c0, 0.2)
        x = tf.nn.leaky_relu(bn(tf.nn.conv2d(x, k1, 2, "SAME"), g1, b1), 0.2)
        return tf.reshape(x, (BATCH, -1)) @ w2 + c2

    def bce(logits, target):
        labels = tf.fill(tf.shape(logits), target)
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels, logits))

    d_apply, g_apply = _adam_tf(tf, d_vars), _adam_tf(tf, g_vars)
    real = tf.random.uniform((BATCH, 28, 28, 1), -1, 1)

    @tf.function
    def step():
        fake = generator(tf.random.normal((BATCH, LATENT)))
        with tf.GradientTape() as tape:
            d_loss = bce(discriminator(real), 1.0) + bce(discriminator(fake), 0.0)
        d_apply(tape.gradient(d_loss, d_vars))
        with tf.GradientTape() as tape:
            g_loss = bce(discriminator(generator(tf.random.normal((BATCH, LATENT)))), 1.0)
        g_apply(tape.gradient(g_loss, g_vars))
        return g_loss

    return _timed(step, steps, lambda loss: loss.numpy())


def native_jax(steps):
    import jax
    import jax.numpy as jnp
    from jax import lax

    dims = ("NHWC", "HWIO", "NHWC")
    keys = iter(jax.random.split(jax.random.PRNGKey(0), 16))
    normal = lambda *shape: 0.02 * jax.random.normal(next(keys), shape)  # noqa: E731
    g_params = [normal(LATENT, 7 * 7 * 128), jnp.ones(128), jnp.zeros(128), normal(4, 4, 128, 64),
                jnp.ones(64), jnp.zeros(64), normal(4, 4, 64, 1), jnp.zeros(1)]  # fmt: skip
    d_params = [normal(4, 4, 1, 64), jnp.zeros(64), normal(4, 4, 64, 128), jnp.ones(128),
                jnp.zeros(128), normal(7 * 7 * 128, 1), jnp.zeros(1)]  # fmt: skip

    def bn(x, gamma, beta):
        mean, var = x.mean((0, 1, 2)), x.var((0, 1, 2))
        return (x - mean) / jnp.sqrt(var + 1e-3) * gamma + beta

    def generator(p, z):
        x = jax.nn.relu(bn((z @ p[0]).reshape(-1, 7, 7, 128), p[1], p[2]))
        x = lax.conv_transpose(x, p[3], (2, 2), "SAME", dimension_numbers=dims)
        x = jax.nn.relu(bn(x, p[4], p[5]))
        return jnp.tanh(lax.conv_transpose(x, p[6], (2, 2), "SAME", dimension_numbers=dims) + p[7])

    def discriminator(p, x):
        conv = lambda x, k: lax.conv_general_dilated(x, k, (2, 2), "SAME", dimension_numbers=dims)  # noqa: E731
        x = jax.nn.leaky_relu(conv(x, p[0]) + p[1], 0.2)
        x = jax.nn.leaky_relu(bn(conv(x, p[2]), p[3], p[4]), 0.2)
        return x.reshape(x.shape[0], -1) @ p[5] + p[6]

    def bce(logits, target):
        return jnp.mean(target * jax.nn.softplus(-logits) + (1 - target) * jax.nn.softplus(logits))

    def adam(params, grads, state):
        count, ms, vs = state
        count = count + 1
        ms = [0.5 * m + 0.5 * g for m, g in zip(ms, grads)]
        vs = [0.999 * v + 0.001 * g * g for v, g in zip(vs, grads)]
        correction = jnp.sqrt(1 - 0.999**count) / (1 - 0.5**count)
        params = [
            p - 2e-4 * correction * m / (jnp.sqrt(v) + 1e-7) for p, m, v in zip(params, ms, vs)
        ]
        return params, (count, ms, vs)

    def zeros_state(params):
        return (0.0, [jnp.zeros_like(p) for p in params], [jnp.zeros_like(p) for p in params])

    @jax.jit
    def step(g_params, d_params, g_state, d_state, real, key):
        key_d, key_g = jax.random.split(key)
        fake = generator(g_params, jax.random.normal(key_d, (BATCH, LATENT)))

        def d_loss(d_params):
            return bce(discriminator(d_params, real), 1.0) + bce(discriminator(d_params, fake), 0.0)

        d_params, d_state = adam(d_params, jax.grad(d_loss)(d_params), d_state)

        def g_loss(g_params):
            fake = generator(g_params, jax.random.normal(key_g, (BATCH, LATENT)))
            return bce(discriminator(d_params, fake), 1.0)

        loss, grads = jax.value_and_grad(g_loss)(g_params)
        g_params, g_state = adam(g_params, grads, g_state)
        return g_params, d_params, g_state, d_state, loss

    state = [g_params, d_params, zeros_state(g_params), zeros_state(d_params)]
    real = jax.random.uniform(next(keys), (BATCH, 28, 28, 1), minval=-1, maxval=1)
    key = [jax.random.PRNGKey(1)]

    def run():
        key[0], sub = jax.random.split(key[0])
        *state[:], loss = step(*state, real, sub)
        return loss

    return _timed(run, steps, lambda loss: loss.block_until_ready())


def keras_dcgan(steps):
    import keras
    import numpy as np
    import tensorflow as tf

    import keras_gan_zoo

    model = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), latent_dim=LATENT, seed=0)
    model.compile()
    real = np.random.default_rng(0).uniform(-1, 1, (BATCH, 28, 28, 1)).astype("float32")
    dataset = tf.data.Dataset.from_tensors(real).repeat()
    marks = []
    timer = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: marks.append(time.perf_counter())
    )
    # Epochs of `chunk` steps; the first (compilation, warm-up) is dropped.
    chunk = 5
    start = time.perf_counter()
    model.fit(dataset, epochs=1 + steps // chunk, steps_per_epoch=chunk, verbose=0,
              callbacks=[timer])  # fmt: skip
    marks.insert(0, start)
    per_epoch = [(b - a) * 1000 / chunk for a, b in zip(marks, marks[1:])][1:]
    return [t for t in per_epoch for _ in range(chunk)]


def child(name, steps):
    if name.startswith("keras-"):
        return keras_dcgan(steps)
    return {"native-torch": native_torch, "native-tensorflow": native_tensorflow,
            "native-jax": native_jax}[name](steps)  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--only", default=",".join(CONFIGS))
    parser.add_argument("--json", default=None, help="also write raw timings here")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.steps)))
        return
    names = [n for n in args.only.split(",") if n]
    times = {name: [] for name in names}
    failures = {}
    for round_index in range(args.rounds):
        for name in names:
            if name in failures:
                continue
            backend = name.split("-", 1)[1] if name.startswith("keras-") else "tensorflow"
            env = dict(os.environ, KERAS_BACKEND=backend)
            env["PYTHONPATH"] = os.pathsep.join([os.getcwd(), env.get("PYTHONPATH", "")])
            done = subprocess.run(
                [sys.executable, __file__, "--child", name, "--steps", str(args.steps)],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
            if done.returncode or not lines:
                failures[name] = (done.stderr.strip().splitlines() or ["no output"])[-1]
                continue
            times[name].extend(json.loads(lines[-1][7:]))
            print(f"round {round_index + 1}: {name} done", file=sys.stderr)
    medians = {name: statistics.median(t) for name, t in times.items() if t}
    print(
        "| configuration | median ms/step | vs native loop of its framework | vs native PyTorch |"
    )
    print("|---|---|---|---|")
    for name in names:
        if name in failures:
            print(f"| {name} | failed: {failures[name][:80]} | | |")
            continue
        own = "native-" + name.split("-", 1)[1]
        vs_own = medians[name] / medians[own] if own in medians else float("nan")
        vs_torch = medians[name] / medians.get("native-torch", float("nan"))
        print(f"| {name} | {medians[name]:.1f} | {vs_own:.2f} | {vs_torch:.2f} |")
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"times": times, "failures": failures}, file)


if __name__ == "__main__":
    main()
