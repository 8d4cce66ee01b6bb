"""Grids and PNG files."""

import numpy as np
import pytest

from keras_gan_zoo.utils import images


@pytest.mark.parametrize("channels", [1, 3])
def test_png_round_trip(tmp_path, channels):
    image = np.random.default_rng(0).integers(0, 256, (13, 17, channels), dtype=np.uint8)
    path = images.write_png(tmp_path / "deep" / "x.png", image)
    np.testing.assert_array_equal(images.read_png(path), image)


def test_grid_layout_and_range():
    batch = np.stack([np.full((4, 4, 1), v) for v in (-1.0, 0.0, 1.0)])
    grid = images.make_grid(batch, columns=2, padding=1)
    assert grid.shape == (1 + 2 * 5, 1 + 2 * 5, 1)
    assert grid[1, 1, 0] == 0 and grid[1, 6, 0] == 128 and grid[6, 1, 0] == 255
    assert grid[0, 0, 0] == 0  # padding


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match=r"\(2, 4, 4, 2\)"):
        images.make_grid(np.zeros((2, 4, 4, 2)))
    with pytest.raises(ValueError, match="uint8"):
        images.write_png("x.png", np.zeros((4, 4), np.float32))
