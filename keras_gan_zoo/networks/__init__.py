"""Network builders: the generators and discriminators of the zoo's papers.

Each builder returns a `keras.Model` (functional) from its arguments; the
models in `keras_gan_zoo.models` choose among them by data shape, and you can
pass one, with your own settings, as a model's `generator=` or
`discriminator=`:

```python
import keras_gan_zoo
from keras_gan_zoo import networks

gan = keras_gan_zoo.GAN(
    generator=networks.mlp_generator(16, (2,), units=(128, 128), data_range=None),
    discriminator=networks.mlp_discriminator((2,), units=(128, 128), pieces=3, dropout=0.0),
    data_range=None,
)
```

One module per family: `mlp` (the GAN paper's MLPs and plain MLPs), `dcgan`,
`sngan` (the standard CNN with spectral normalization), `autoencoder`
(EBGAN's and BEGAN's D), `conditional` (CGAN's networks, which take class
labels as a second input), `acgan` (a D with a class head beside its source
logit), `infogan` (the InfoGAN paper's networks, and a Q head for any D),
`bigan` (BiGAN's and ALI's encoder and pair discriminator) and `aae` (the
adversarial autoencoder's encoder, decoder and code discriminator).
"""

from keras_gan_zoo.networks.aae import aae_code_discriminator
from keras_gan_zoo.networks.aae import aae_decoder
from keras_gan_zoo.networks.aae import aae_encoder
from keras_gan_zoo.networks.acgan import acgan_discriminator
from keras_gan_zoo.networks.acgan import add_class_head
from keras_gan_zoo.networks.autoencoder import autoencoder_discriminator
from keras_gan_zoo.networks.bigan import bigan_conv_discriminator
from keras_gan_zoo.networks.bigan import bigan_conv_encoder
from keras_gan_zoo.networks.bigan import bigan_discriminator
from keras_gan_zoo.networks.bigan import bigan_encoder
from keras_gan_zoo.networks.conditional import cgan_conv_discriminator
from keras_gan_zoo.networks.conditional import cgan_conv_generator
from keras_gan_zoo.networks.conditional import cgan_mlp_discriminator
from keras_gan_zoo.networks.conditional import cgan_mlp_generator
from keras_gan_zoo.networks.dcgan import DCGANNetworks
from keras_gan_zoo.networks.dcgan import dcgan_discriminator
from keras_gan_zoo.networks.dcgan import dcgan_generator
from keras_gan_zoo.networks.infogan import add_code_head
from keras_gan_zoo.networks.infogan import infogan_discriminator
from keras_gan_zoo.networks.infogan import infogan_generator
from keras_gan_zoo.networks.initializers import normal_initializer
from keras_gan_zoo.networks.mlp import dense_discriminator
from keras_gan_zoo.networks.mlp import mlp_discriminator
from keras_gan_zoo.networks.mlp import mlp_generator
from keras_gan_zoo.networks.sngan import sngan_discriminator
from keras_gan_zoo.networks.sngan import sngan_generator

__all__ = [
    "DCGANNetworks",
    "aae_code_discriminator",
    "aae_decoder",
    "aae_encoder",
    "acgan_discriminator",
    "add_class_head",
    "add_code_head",
    "autoencoder_discriminator",
    "bigan_conv_discriminator",
    "bigan_conv_encoder",
    "bigan_discriminator",
    "bigan_encoder",
    "cgan_conv_discriminator",
    "cgan_conv_generator",
    "cgan_mlp_discriminator",
    "cgan_mlp_generator",
    "dcgan_discriminator",
    "dcgan_generator",
    "dense_discriminator",
    "infogan_discriminator",
    "infogan_generator",
    "mlp_discriminator",
    "mlp_generator",
    "normal_initializer",
    "sngan_discriminator",
    "sngan_generator",
]
