"""Throughput of the 3-DOF flyout: full flyouts per second, numba batch vs scipy solve_ivp.

Run from the repository root::

    .venv/bin/python benchmarks/bench_flyout.py [--flyouts N] [--scipy-flyouts M] [--repeats K]

What it measures
----------------
A "full flyout" is one launch-to-impact integration of the Scud-B vehicle (vehicles.toml):
vertical rise, pitch-over window, gravity turn to burnout at 62 s, then the unpowered flight to
the ground, in the rotating Earth-fixed frame with J2 gravity, the US Standard Atmosphere 1976,
the V-2 drag table during boost and the reentry ballistic coefficient after burnout; impact,
apogee and 100 km events located. Launch points (40-60 N, 10-40 E), azimuths (0-360 deg) and
kick angles (5-40 deg) come from ``np.random.default_rng(42)``.

1. numba: ``warning_time.core.flyout.fly_many`` (prange over the flyouts, both cores) at the
   package's default tolerance rtol = 1e-9 and at rtol = 1e-7, after a warm-up call; best of
   ``--repeats`` runs.
2. scipy: ``scipy.integrate.solve_ivp`` (RK45, the same Dormand-Prince 5(4) pair, same rtol and
   atol = rtol x (1 m, 10 m/s)) on the same equations written in plain Python (math module,
   scalar code, no numpy per call), phase by phase with a terminal ground event and an apogee
   event, for the first ``--scipy-flyouts`` flyouts in the same run, one core.
   The two agree on the impact time to ~1e-3 s (printed).
3. One table with flyouts/s and the ratio; targets: >= 2,000 flyouts/s and >= 50x scipy. Timings
   are reported, never asserted. ``RESULT`` lines feed ``make bench``.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import time

import numpy as np
from scipy.integrate import solve_ivp

from warning_time import flyout as F
from warning_time.core import flyout as fo
from warning_time.core.atmosphere import us76

SEED = 42


def inputs(n):
    rng = np.random.default_rng(SEED)
    return (np.radians(rng.uniform(40, 60, n)), np.radians(rng.uniform(10, 40, n)),
            np.radians(rng.uniform(0, 360, n)), np.radians(rng.uniform(5, 40, n)))


def scipy_flyout(veh, P, lat, lon, az, kick):
    """The same flyout with solve_ivp (RK45) and a pure-Python right-hand side."""
    S, G, mt, ct = veh.kernel_arrays()
    mt = list(mt)
    ct = list(ct)
    mu, j2, re, w = P[fo.P_MU], P[fo.P_J2], P[fo.P_RE], P[fo.P_OMEGA]
    a, e2 = P[fo.P_A], P[fo.P_E2]
    b2 = a * a * (1 - e2)
    rtol = P[fo.P_RTOL]
    mdot, f_vac, ae, area = S[0, fo.S_MDOT], S[0, fo.S_FVAC], S[0, fo.S_AE], S[0, fo.S_AREA]
    inv_beta = 1.0 / G[fo.G_BETA]
    cl, sl, co, so = math.cos(lat), math.sin(lat), math.cos(lon), math.sin(lon)
    up = (cl * co, cl * so, sl)
    ca, sa = math.cos(az), math.sin(az)
    hor = (ca * -sl * co + sa * -so, ca * -sl * so + sa * co, ca * cl)

    def height(x, y, z):
        r = math.sqrt(x * x + y * y + z * z)
        return r - 1.0 / math.sqrt((x * x + y * y) / (r * r * a * a) + z * z / (r * r * b2))

    def cd_of(mach):
        if mach <= mt[0]:
            return ct[0]
        if mach >= mt[-1]:
            return ct[-1]
        i = 1
        while mt[i] < mach:
            i += 1
        f = (mach - mt[i - 1]) / (mt[i] - mt[i - 1])
        return ct[i - 1] + f * (ct[i] - ct[i - 1])

    def make(mode):
        def rhs(t, s):
            x, y, z, vx, vy, vz, m = s
            r2 = x * x + y * y + z * z
            r = math.sqrt(r2)
            k = mu / (r2 * r)
            f = 1.5 * j2 * (re / r) ** 2
            zr2 = z * z / r2
            cxy = 1 + f * (1 - 5 * zr2)
            ax = -k * x * cxy + 2 * w * vy + w * w * x
            ay = -k * y * cxy - 2 * w * vx + w * w * y
            az_ = -k * z * (1 + f * (3 - 5 * zr2))
            rho, p, cs = us76.py_func(height(x, y, z))
            v = math.sqrt(vx * vx + vy * vy + vz * vz)
            dm = 0.0
            if mode == 3:
                kd = 0.5 * rho * v * inv_beta
            else:
                kd = 0.5 * rho * v * cd_of(v / cs) * area / m if v > 0 else 0.0
            ax -= kd * vx
            ay -= kd * vy
            az_ -= kd * vz
            if mode < 3:
                thrust = max(f_vac - p * ae, 0.0) / m
                if mode == 0:
                    e = up
                else:
                    ux, uy, uz = vx / v, vy / v, vz / v
                    if mode == 1:
                        d = hor[0] * ux + hor[1] * uy + hor[2] * uz
                        px, py, pz = hor[0] - d * ux, hor[1] - d * uy, hor[2] - d * uz
                        pn = math.sqrt(px * px + py * py + pz * pz)
                        c, sn = math.cos(kick), math.sin(kick)
                        e = (c * ux + sn * px / pn, c * uy + sn * py / pn, c * uz + sn * pz / pn)
                    else:
                        e = (ux, uy, uz)
                ax += thrust * e[0]
                ay += thrust * e[1]
                az_ += thrust * e[2]
                dm = -mdot
            return [vx, vy, vz, ax, ay, az_, dm]
        return rhs

    n = a / math.sqrt(1 - e2 * sl * sl)
    y = [n * cl * co, n * cl * so, n * (1 - e2) * sl, 0.0, 0.0, 0.0, G[fo.G_M0]]
    atol = [rtol] * 3 + [rtol * 10] * 3 + [1e-6]
    t_v, t_k, t_b = G[fo.G_TVERT], G[fo.G_TVERT] + G[fo.G_TKICK], S[0, fo.S_TBURN]
    for mode, t0, t1 in ((0, 0.0, t_v), (1, t_v, t_k), (2, t_k, t_b)):
        y = solve_ivp(make(mode), (t0, t1), y, method="RK45", rtol=rtol, atol=atol).y[:, -1]

    def ground(t, s):
        return height(s[0], s[1], s[2])

    ground.terminal = True
    ground.direction = -1

    def apogee(t, s):
        return s[0] * s[3] + s[1] * s[4] + s[2] * s[5]

    apogee.direction = -1
    sol = solve_ivp(make(3), (t_b, P[fo.P_TMAX]), y, method="RK45", rtol=rtol, atol=atol, events=[ground, apogee])
    return float(sol.t_events[0][0])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--flyouts", type=int, default=100_000)
    ap.add_argument("--scipy-flyouts", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    veh = F.get_vehicle("scud-b")
    S, G, mt, ct = veh.kernel_arrays()
    lat, lon, az, kick = inputs(args.flyouts)
    cut = np.full(args.flyouts, np.inf)
    print(f"bench_flyout: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"numba threads {__import__('numba').get_num_threads()}")
    rows = []
    for rtol in (1e-9, 1e-7):
        P = F.options_array(rtol=rtol)
        fo.fly_many(lat[:8], lon[:8], az[:8], kick[:8], cut[:8], S, G, mt, ct, P)  # warm-up / compile
        best = math.inf
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            out = fo.fly_many(lat, lon, az, kick, cut, S, G, mt, ct, P)
            best = min(best, time.perf_counter() - t0)
        ok = int(np.sum(out[:, fo.O_STATUS] == 0))
        numba_rate = args.flyouts / best
        m = args.scipy_flyouts
        t0 = time.perf_counter()
        t_sp = [scipy_flyout(veh, P, lat[i], lon[i], az[i], kick[i]) for i in range(m)]
        scipy_rate = m / (time.perf_counter() - t0)
        dt = np.max(np.abs(np.array(t_sp) - out[:m, fo.O_T_IMPACT]))
        rows.append((rtol, numba_rate, scipy_rate, numba_rate / scipy_rate, ok, float(np.mean(out[:, fo.O_STEPS])), dt))
    print(f"\n{'rtol':>7} {'numba flyouts/s':>16} {'scipy flyouts/s':>16} {'ratio':>8} {'ok':>8} "
          f"{'steps':>6} {'max |dt| vs scipy':>18}")
    for rtol, nr, sr, ratio, ok, steps, dt in rows:
        print(f"{rtol:7.0e} {nr:16,.0f} {sr:16,.1f} {ratio:7.0f}x {ok:8d} {steps:6.0f} {dt:16.2e} s")
    nr, ratio = rows[0][1], rows[0][3]
    print(f"\ntargets: >= 2,000 flyouts/s: {'met' if nr >= 2000 else 'NOT met'} ({nr:,.0f}); "
          f">= 50x scipy: {'met' if ratio >= 50 else 'NOT met'} ({ratio:.0f}x)  [rtol 1e-9, {args.flyouts:,} flyouts]")
    print(f"RESULT flyout_full_flyouts_per_s {rows[0][1]:.0f} flyouts/s {rows[0][3]:.1f}")
    print(f"RESULT flyout_full_flyouts_per_s_rtol1e-7 {rows[1][1]:.0f} flyouts/s {rows[1][3]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
