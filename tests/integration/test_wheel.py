"""The wheel carries the data: build it, install it into a fresh environment outside the
checkout, and load the catalog and places from the installed package."""
import os
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_loads_data_outside_checkout(tmp_path):
    dist = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(dist), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    wheels = list(dist.glob("warning_time-*.whl"))
    assert len(wheels) == 1
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=300)
    py = env / "bin" / "python"
    env_site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip())
    # dependencies come from the test environment's site-packages as a plain path entry: .pth
    # files there (such as the editable install of the checkout) are not processed
    (env_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(env_site),
                        str(wheels[0])], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    script = textwrap.dedent("""
        import warning_time, warning_time.places as p
        from pathlib import Path
        f = Path(warning_time.__file__).resolve()
        assert "{root}" not in str(f), f
        cat = warning_time.load_missiles()
        assert {{"ideal", "iskander-m", "oreshnik"}} <= set(cat), cat
        assert len(p.load_targets()) > 32 and len(p.load_launch_areas()) >= 10
        assert len(p.load_sensors()) >= 3 and p.load_countries()["nato_member"].sum() == 32
        from warning_time.report import load_scenario
        assert load_scenario()["irbm"]["missile"] == "oreshnik"
        print("OK", f)
    """).format(root=str(ROOT))
    r = subprocess.run([str(py), "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=600,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("OK")
