"""The suite's tiers (tests/conftest.py): which backend runs which tests."""

import types

import conftest
import keras
import pytest

pytestmark = pytest.mark.neutral


class _Item:
    def __init__(self, name, *markers):
        self.name, self.markers = name, markers

    def get_closest_marker(self, name):
        return object() if name in self.markers else None


def _selected(monkeypatch, backend, learning=None, carried=None):
    monkeypatch.setattr(keras.config, "backend", lambda: backend)
    for switch, value in (
        ("KERAS_GAN_ZOO_LEARNING_BACKENDS", learning),
        ("KERAS_GAN_ZOO_CARRIED_BACKENDS", carried),
    ):
        if value is None:
            monkeypatch.delenv(switch, raising=False)
        else:
            monkeypatch.setenv(switch, value)
    items = [
        _Item("plain"),
        _Item("neutral", "neutral"),
        _Item("carried", "carried"),
        _Item("learning", "learning"),
    ]
    deselected = []
    config = types.SimpleNamespace(
        hook=types.SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items))
    )
    conftest.pytest_collection_modifyitems(config, items)
    assert sorted(i.name for i in items + deselected) == ["carried", "learning", "neutral", "plain"]
    return [item.name for item in items]


def test_each_tier_runs_where_it_should(monkeypatch):
    assert _selected(monkeypatch, "tensorflow") == ["plain", "neutral", "learning"]
    assert _selected(monkeypatch, "jax") == ["plain"]
    assert _selected(monkeypatch, "torch") == ["plain", "carried"]


def test_the_switches_run_the_full_matrix(monkeypatch):
    assert _selected(monkeypatch, "torch", learning="all") == ["plain", "carried", "learning"]
    assert _selected(monkeypatch, "jax", carried="all") == ["plain", "carried"]
    assert _selected(monkeypatch, "tensorflow", carried="jax") == ["plain", "neutral", "learning"]
    assert _selected(monkeypatch, "jax", learning="jax,torch") == ["plain", "learning"]
    assert _selected(monkeypatch, "tensorflow", learning="jax") == ["plain", "neutral"]
    with pytest.raises(pytest.UsageError, match="KERAS_GAN_ZOO_LEARNING_BACKENDS='tf'"):
        _selected(monkeypatch, "jax", learning="tf")
