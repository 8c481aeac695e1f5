"""warning_time.flyout: the options are keyword-only parameters spelled out on every public
function, documented there, and an unknown keyword is a TypeError as Python makes it."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from warning_time import flyout as F
from warning_time.errors import InputError

SITE = (50.0, 30.0)
OPTIONS = {name: p.default for name, p in inspect.signature(F.options_array).parameters.items()}
CALLS = {
    "fly": lambda **kw: F.fly("scud-b", *SITE, 90.0, 16.0, **kw),
    "max_range": lambda **kw: F.max_range("scud-b", *SITE, 90.0, **kw),
    "aim": lambda **kw: F.aim("scud-b", *SITE, 50.0, 32.0, **kw),
    "coast": lambda **kw: F.coast([[7.0e6, 0, 0]], [[0, 7000.0, 0]], **{"atmosphere": False, **kw}),
    "track": lambda **kw: F.track("scud-b", *SITE, 90.0, 16.0, **kw),
}


def test_options_array_lists_the_options():
    assert set(OPTIONS) == {"earth", "rotation", "j2", "atmosphere", "rtol", "t_max_s", "reentry_altitude_km",
                            "max_steps"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_options_are_keyword_only_with_the_same_defaults_and_documented(name):
    params = inspect.signature(getattr(F, name)).parameters
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for option, default in OPTIONS.items():
        assert params[option].kind is inspect.Parameter.KEYWORD_ONLY, (name, option)
        assert params[option].default == default, (name, option)
    doc = getattr(F, name).__doc__
    assert "{options}" not in doc
    for option in params:
        assert f"\n    {option} : " in doc or f", {option}" in doc or f"{option}, " in doc, (name, option)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_unknown_keyword_is_a_type_error(name):
    with pytest.raises(TypeError, match="unexpected keyword argument 'rotaton'"):
        CALLS[name](rotaton=False)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_bad_option_values_are_input_errors(name):
    with pytest.raises(InputError, match="rotation"):
        CALLS[name](rotation="no")
    with pytest.raises(InputError, match="earth"):
        CALLS[name](earth="flat")


def test_options_reach_the_kernel_and_the_result():
    still = F.fly("scud-b", *SITE, 90.0, 16.0, rotation=False, j2=False)
    turning = F.fly("scud-b", *SITE, 90.0, 16.0)
    assert still.meta["options"] == {**OPTIONS, "rotation": False, "j2": False}
    assert abs(still.impact_lon_deg[0] - turning.impact_lon_deg[0]) > 1e-3
    assert np.allclose(F.options_array(rotation=False, j2=False),
                       F.options_array(**{**OPTIONS, "rotation": False, "j2": False}))
