"""The scatter plot of 2-d codes: points where they belong, in their class's colour."""

import numpy as np
import pytest

from keras_gan_zoo.utils import images
from keras_gan_zoo.utils import plots

pytestmark = pytest.mark.neutral


def test_scatter_puts_each_class_in_its_colour_and_keeps_the_aspect(tmp_path):
    points = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 5.0]])
    image = plots.scatter_image(points, np.array([0, 1, 2]), size=101, margin=0, dot=1)
    # x spans 10 and y 5: equal aspect puts y's points in the middle half.
    assert tuple(image[75, 0]) == tuple(plots.PALETTE[0])
    assert tuple(image[75, 100]) == tuple(plots.PALETTE[1])
    assert tuple(image[25, 0]) == tuple(plots.PALETTE[2])
    assert (image != 255).any(axis=-1).sum() == 3  # one pixel per point, the rest white
    path = plots.save_scatter(tmp_path / "codes.png", points, np.array([0, 1, 2]), size=64)
    assert images.read_png(path).shape == (64, 64, 3)
    with pytest.raises(ValueError, match=r"\(n, 2\) points"):
        plots.scatter_image(np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        plots.scatter_image(np.array([[np.nan, 0.0]]), np.zeros(1))
