"""Batches from tensorflow-datasets."""

import os

import tensorflow as tf

from keras_gan_zoo.datasets import _pipeline


def _load_source(name, split, data_dir):
    # Imported here: tensorflow_datasets takes seconds to import and most
    # runs (digits, arrays, folders) never need it.
    import tensorflow_datasets as tfds

    try:
        return tfds.load(name, split=split, data_dir=data_dir, shuffle_files=False)
    except tfds.core.registered.DatasetNotFoundError as error:
        # tfds lists every dataset it knows; keep only its suggestion.
        hint = next((line for line in str(error).splitlines() if "Did you mean" in line), "")
        raise ValueError(f"Unknown tensorflow-datasets name {name!r}. {hint}".strip()) from error
    except ModuleNotFoundError as error:
        # tfds imports some of its dependencies only on first use; one that
        # the install lacks shows up only now (importlib_resources did).
        if hasattr(error, "add_note"):  # Python 3.11+
            error.add_note(
                f"tensorflow-datasets needs the package {error.name!r} to load {name!r}, and it "
                f"is not installed: pip install {error.name}"
            )
        raise
    except Exception as error:
        if hasattr(error, "add_note"):  # Python 3.11+
            error.add_note(f"While loading tensorflow-datasets {name!r}, split {split!r}.")
        raise


def from_tfds(
    name,
    split="train",
    batch_size=64,
    shuffle=True,
    seed=0,
    initial_epoch=0,
    data_dir=None,
    image_size=None,
    shuffle_buffer=10_000,
):
    """Batches of a tensorflow-datasets dataset's `image` feature, in [-1, 1].

    The dataset is read in its stored order (`shuffle_files=False`), which
    makes the stream the same on every pass. Shuffling then works on
    consecutive blocks of `shuffle_buffer` images: each block is permuted
    with a stateless RNG seeded from `(seed, epoch, block)`, so an epoch's
    order is a pure function of `(seed, epoch)` and a run resumed with
    `initial_epoch` sees the same batches as an uninterrupted one. (The
    built-in `Dataset.shuffle` could not promise that, since its RNG state
    lives in the iterator.) An image therefore moves only within its block;
    with `shuffle_buffer` >= the dataset size the permutation is global.
    Memory is about that of a shuffle buffer: one block of uint8 images
    (after resizing), twice while it is permuted.

    With `image_size`, each image is center-cropped to that aspect ratio
    and then resized (bilinear, antialiased), e.g. CelebA's 178x218 photos
    become their central 178x178 square, then 64x64 for (64, 64).

    Args:
        name: a tfds name such as "mnist", "fashion_mnist", "cifar10",
            "celeb_a" (it is downloaded and prepared on first use, as tfds
            does).
        split: a tfds split string, e.g. "train", "test", "train[:10%]".
        batch_size: images per batch; the last partial batch is dropped.
        shuffle: shuffle as above; if False, the stored order.
        seed: int, the shuffle seed.
        initial_epoch: the epoch number of the first iteration (resuming).
        data_dir: where tfds keeps its data; default tfds' own.
        image_size: optional (height, width) or int; required when the
            dataset's images vary in size.
        shuffle_buffer: images per shuffled block.

    Returns:
        A `tf.data.Dataset` of float32 batches (batch_size, H, W, C).

    Raises:
        ValueError: for an unknown name (tfds' suggestion included), a
            dataset without a uint8 `image` feature, images of varying size
            without `image_size`, fewer images than `batch_size`, or an
            invalid argument. Other tfds errors (e.g. a failed download)
            propagate with the dataset's name attached.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(
            f"name must be a tensorflow-datasets name such as 'mnist' or 'celeb_a'; got {name!r}."
        )
    batch_size = _pipeline.check_batch_size(batch_size)
    shuffle = _pipeline.check_bool(shuffle, "shuffle")
    seed = _pipeline.check_int(seed, "seed")
    shuffle_buffer = _pipeline.check_int(shuffle_buffer, "shuffle_buffer", minimum=1)
    if image_size is not None:
        image_size = _pipeline.check_image_size(image_size)
    if not isinstance(split, str):
        raise ValueError(f"split must be a tfds split string; got {split!r}.")
    if data_dir is not None:
        try:
            data_dir = os.fspath(data_dir)
        except TypeError:
            raise ValueError(f"data_dir must be a folder path or None; got {data_dir!r}.") from None
    counter = _pipeline.epoch_counter(initial_epoch)

    source = _load_source(name, split, data_dir)
    spec = source.element_spec
    if not isinstance(spec, dict) or "image" not in spec:
        features = sorted(spec) if isinstance(spec, dict) else spec
        raise ValueError(
            f"tensorflow-datasets {name!r} has no 'image' feature (its features: {features})."
        )
    image_spec = spec["image"]
    if image_spec.dtype != tf.uint8 or image_spec.shape.rank != 3:
        raise ValueError(
            f"tensorflow-datasets {name!r}: expected uint8 images (H, W, C); its 'image' "
            f"feature is {image_spec.dtype.name} of shape {image_spec.shape}."
        )
    if image_size is None and not image_spec.shape[:2].is_fully_defined():
        raise ValueError(
            f"tensorflow-datasets {name!r} has images of varying size {image_spec.shape}; "
            "pass image_size=(height, width)."
        )
    channels = image_spec.shape[-1]
    count = int(source.cardinality())
    batches = None
    if count >= 0:  # Known (tfds records split sizes); negative means unknown.
        _pipeline.check_count(count, batch_size, f"tensorflow-datasets {name!r} split {split!r}")
        batches = count // batch_size

    def prepare(example):
        image = example["image"]
        if image_size is not None:
            # Back to uint8 so that a shuffle block stays small.
            image = crop_and_resize_uint8(image)
        return image

    def crop_and_resize_uint8(image):
        image = _pipeline.crop_and_resize(image, image_size)
        image = tf.cast(tf.round(tf.clip_by_value(image, 0.0, 255.0)), tf.uint8)
        return tf.ensure_shape(image, (*image_size, channels))

    images = source.map(prepare, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)

    def shuffle_block(epoch, block_index, block):
        order = tf.random.experimental.stateless_shuffle(
            tf.range(tf.shape(block, out_type=tf.int64)[0]),
            seed=_pipeline.shuffle_seed(seed, epoch, block_index),
        )
        return tf.gather(block, order)

    def epoch_images(epoch):
        if not shuffle:
            return images
        blocks = images.batch(shuffle_buffer).enumerate()
        return blocks.map(lambda i, block: shuffle_block(epoch, i, block)).unbatch()

    dataset = _pipeline.epochs(counter).flat_map(epoch_images)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.map(
        lambda batch: _pipeline.scale(batch, (0.0, 255.0)),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    return _pipeline.finish(dataset, counter, batches)
