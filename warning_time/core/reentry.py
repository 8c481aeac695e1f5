"""Reentry: the time a warhead loses to atmospheric drag on its way down.

The analytic core flies a vacuum conic to the target; drag is added as a delay that depends on
the vacuum impact state and the class's ballistic coefficient beta = m / (C_D A) (kg/m^2). The
delay is tabulated once per (beta, entry altitude, atmosphere) by integrating the planar
point-mass equations of motion over a spherical, non-rotating Earth,

    dv/dt = -mu r / |r|^3 - rho(h) |v| v / (2 beta),   rho(h) = rho0 exp(-h / H),

from the entry state (the conic at the entry altitude, or at apogee if the conic never climbs
that high) to the ground, with and without the drag term; the delay is the difference of the
two fall times. The table is indexed by the vacuum impact speed v0 and impact angle g0 below
the horizontal, which fix the descending conic completely. Gravity and the curvature of the
path are kept, unlike the straight-line Allen-Eggers approximation (Allen & Eggers, NACA
Report 1381, 1958), which overstates the delay by tens of per cent for steep slow entries.
"""
import math

import numpy as np

from ._jit import jit
from .threads import run_slices


@jit
def _fall_time(r0, th0, vr0, vt0, r_ground, mu, rho0, H, inv_2beta):
    """Time (s) from the given planar state to |r| = r_ground, RK4 with steps of ~100 m of path."""
    r = r0
    th = th0
    vr = vr0
    vt = vt0
    t = 0.0
    # state in Cartesian plane coordinates for a clean RK4
    x = r * math.cos(th)
    y = r * math.sin(th)
    vx = vr * math.cos(th) - vt * math.sin(th)
    vy = vr * math.sin(th) + vt * math.cos(th)
    for _ in range(2_000_000):
        rr = math.sqrt(x * x + y * y)
        if rr <= r_ground:
            break
        v = math.sqrt(vx * vx + vy * vy)
        dt = 100.0 / max(v, 50.0)
        if dt > 1.0:
            dt = 1.0
        # RK4
        k1x, k1y, k1vx, k1vy = _deriv(x, y, vx, vy, r_ground, mu, rho0, H, inv_2beta)
        k2x, k2y, k2vx, k2vy = _deriv(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, vx + 0.5 * dt * k1vx,
                                      vy + 0.5 * dt * k1vy, r_ground, mu, rho0, H, inv_2beta)
        k3x, k3y, k3vx, k3vy = _deriv(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, vx + 0.5 * dt * k2vx,
                                      vy + 0.5 * dt * k2vy, r_ground, mu, rho0, H, inv_2beta)
        k4x, k4y, k4vx, k4vy = _deriv(x + dt * k3x, y + dt * k3y, vx + dt * k3vx, vy + dt * k3vy,
                                      r_ground, mu, rho0, H, inv_2beta)
        nx = x + dt / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x)
        ny = y + dt / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y)
        nvx = vx + dt / 6.0 * (k1vx + 2 * k2vx + 2 * k3vx + k4vx)
        nvy = vy + dt / 6.0 * (k1vy + 2 * k2vy + 2 * k3vy + k4vy)
        nr = math.sqrt(nx * nx + ny * ny)
        if nr <= r_ground:
            # linear interpolation of the crossing within the step
            frac = (rr - r_ground) / (rr - nr)
            return t + frac * dt
        x, y, vx, vy = nx, ny, nvx, nvy
        t += dt
    return t


@jit
def _deriv(x, y, vx, vy, r_ground, mu, rho0, H, inv_2beta):
    r = math.sqrt(x * x + y * y)
    g = -mu / (r * r * r)
    ax = g * x
    ay = g * y
    if inv_2beta > 0.0:
        v = math.sqrt(vx * vx + vy * vy)
        k = rho0 * math.exp(-(r - r_ground) / H) * v * inv_2beta
        ax -= k * vx
        ay -= k * vy
    return vx, vy, ax, ay


@jit
def entry_state(v0, g0, r_ground, h_entry, mu):
    """Planar state (r, vr, vt) where the descending vacuum conic that hits the ground at speed
    v0 and angle g0 (rad below horizontal) crosses h_entry, or its apogee if lower."""
    eps = 0.5 * v0 * v0 - mu / r_ground
    hmom = r_ground * v0 * math.cos(g0)
    re = r_ground + h_entry
    ve2 = 2.0 * (eps + mu / re)
    if ve2 > 0.0 and hmom / (re * math.sqrt(ve2)) <= 1.0:
        ve = math.sqrt(ve2)
        vt = hmom / re
        vr = -math.sqrt(max(ve2 - vt * vt, 0.0))
        return re, vr, vt
    # apogee below the entry altitude: start at apogee
    if eps >= 0.0:
        return re, -math.sqrt(max(ve2, 0.0)), 0.0
    a = -mu / (2.0 * eps)
    e = math.sqrt(max(0.0, 1.0 + 2.0 * eps * hmom * hmom / (mu * mu)))
    ra = a * (1.0 + e)
    return ra, 0.0, hmom / ra


@jit
def drag_delay_direct(v0, g0, r_ground, h_entry, mu, rho0, H, beta):
    """Drag delay (s) for one vacuum impact state, by direct integration (used to build and to
    check the table)."""
    r, vr, vt = entry_state(v0, g0, r_ground, h_entry, mu)
    t_vac = _fall_time(r, 0.0, vr, vt, r_ground, mu, rho0, H, 0.0)
    t_drag = _fall_time(r, 0.0, vr, vt, r_ground, mu, rho0, H, 0.5 / beta)
    return t_drag - t_vac


@jit
def _delay_nodes(v_nodes, g_nodes, r_ground, h_entry, mu, rho0, H, beta, out, start, stop):
    """Nodes ``start .. stop-1`` (row-major over v x g) of :func:`build_delay_table`."""
    ng = g_nodes.shape[0]
    for k in range(start, stop):
        i = k // ng
        j = k % ng
        out[i, j] = drag_delay_direct(v_nodes[i], g_nodes[j], r_ground, h_entry, mu, rho0, H, beta)


#: table nodes per thread slice (a node is two integrations of the fall, ~0.1-1 ms)
SLICE_NODES = 16


def build_delay_table(v_nodes, g_nodes, r_ground, h_entry, mu, rho0, H, beta):
    """Table of drag delays (s) on the grid v_nodes (m/s) x g_nodes (rad), the nodes computed
    in slices on threads (core.threads)."""
    out = np.empty((v_nodes.shape[0], g_nodes.shape[0]))
    run_slices(out.size, SLICE_NODES,
               lambda start, stop: _delay_nodes(v_nodes, g_nodes, r_ground, h_entry, mu, rho0, H, beta,
                                                out, start, stop))
    return out


@jit
def interp_delay(table, v_lo, v_step, g_lo, g_step, v0, g0):
    """Bilinear interpolation in a delay table on a uniform grid, clamped at its edges."""
    nv = table.shape[0]
    ng = table.shape[1]
    if nv == 0:
        return 0.0
    x = (v0 - v_lo) / v_step
    y = (g0 - g_lo) / g_step
    if x < 0.0:
        x = 0.0
    if y < 0.0:
        y = 0.0
    if x > nv - 1.000001:
        x = nv - 1.000001
    if y > ng - 1.000001:
        y = ng - 1.000001
    i = int(x)
    j = int(y)
    fx = x - i
    fy = y - j
    return ((1 - fx) * (1 - fy) * table[i, j] + fx * (1 - fy) * table[i + 1, j]
            + (1 - fx) * fy * table[i, j + 1] + fx * fy * table[i + 1, j + 1])
