"""
Title: GAN on a ring of eight Gaussians
Paper: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014; the ring8
       benchmark of Metz et al. (Unrolled GAN) and Srivastava et al. (VEEGAN).
Description: the zoo's GAN (ReLU MLP generator, maxout discriminator) on the 2D
mixture "ring8" (8 means on the unit circle, std 0.01), scored with the VEEGAN
protocol on 2,500 samples: modes captured and the fraction of high-quality
samples (within 3 std of a mean). Not protocol V's networks (2x128 tanh MLPs,
z 256-d): those are for the mode-collapse benchmark of benchmarks/.

Takes about 5 minutes on 2 CPU cores (TensorFlow backend).

    python recipes/gan_ring8.py --preset-out keras_gan_zoo/presets/gan_ring8
"""

import argparse

import keras

import keras_gan_zoo
from keras_gan_zoo.metrics import mixture_quality
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=60, help="epochs of 51,200 points (100 steps)")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--preset-out", default=None, help="write the trained GAN as a preset here")
args = parser.parse_args()

keras.utils.set_random_seed(args.seed)
points, _ = keras_gan_zoo.datasets.mixture_of_gaussians("ring8", 51_200, seed=args.seed)
gan = keras_gan_zoo.GAN(
    generator=mlp_generator(16, (2,), units=(128, 128), data_range=None),
    discriminator=mlp_discriminator((2,), units=(128, 128), pieces=3, dropout=0.0),
    data_range=None,
    seed=args.seed,
)
gan.compile(
    d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
)
gan.fit(points, batch_size=512, epochs=args.epochs, verbose=2)

quality = mixture_quality(gan.generate(2500, seed=1), "ring8")
print(
    f"ring8: {quality['modes']}/8 modes, {100 * quality['high_quality']:.1f}% high quality, "
    f"reverse KL {quality['reverse_kl']:.4f}"
)

if args.preset_out:
    protocol = "VEEGAN protocol on 2,500 samples (seed 1): {}"
    gan.save_to_preset(
        args.preset_out,
        description=f"GAN on a ring of 8 Gaussians (2D points): {quality['modes']}/8 modes, "
        f"{100 * quality['high_quality']:.0f}% high quality",
        dataset="ring8: 8 Gaussians on the unit circle, std 0.01 (51,200 points, seed 0)",
        license="Apache-2.0",
        metrics={
            "ring8_modes": {
                "value": quality["modes"],
                "protocol": protocol.format("modes with a high-quality sample nearest"),
            },
            "ring8_high_quality": {
                "value": round(quality["high_quality"], 4),
                "protocol": protocol.format("fraction within 3 std of the nearest mean"),
            },
            "ring8_reverse_kl": {
                "value": round(quality["reverse_kl"], 4),
                "protocol": protocol.format("KL(mode histogram || uniform), PacGAN's measure"),
            },
        },
        command=f"KERAS_BACKEND={keras.config.backend()} python recipes/gan_ring8.py "
        f"--epochs {args.epochs} --seed {args.seed} --preset-out {args.preset_out}",
        overwrite=True,
    )
    print(f"Preset written to {args.preset_out}")
