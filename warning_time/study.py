"""One analysis of a scenario, computed once, read by every view (report, CSV tables, map popups,
notebook). No view recomputes with other settings.

What it holds (each a DataFrame or array, computed on first use and kept):

- per trajectory of the IRBM class (the scenario's, then 'depressed' and 'lofted'): the
  attacker's best point of every launch and baseline area for every target, found by
  deterministic optimisation over the polygon (:mod:`warning_time.best_point`), the warning
  there at nominal parameters, and the warning there in every Monte Carlo draw
  (:mod:`warning_time.uncertainty`, raw draws kept);
- Claim 1 as explicit dimensions side by side: trajectory x launch-area set (the sites reported
  for the class, all notional areas) x baseline set (all Russian baselines, Russia proper),
  nominal values and p5 / p50 / p95 over the draws;
- sensitivity per target (warning and compression): one-at-a-time tornado and Sobol indices;
- the fastest threat over the deployed classes, Claim 2 from polygon geometry, the published
  claims, the Aegis geometry and the exposure table.

Monte Carlo draws evaluate, for each area and target, the nominal best point and the best
lattice point of every other detection regime (first-detecting sensor) and keep the least: within
a regime the optimum moves smoothly with the parameters (envelope theorem: its value changes to
first order only through them), and a draw that makes another regime faster finds that regime's
candidate. A draw is an upper bound of its least warning; tests/integration/test_study.py
compares draws with a full re-optimisation (most agree within 1 s plus the geometry bound; a
drawn radar range that moves a regime boundary across an area can leave a larger gap,
docs/model.md). The nominal never depends on the seed.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from .analysis import aegis_geometry, exposure_table, published_claims, scenario_targets
from .best_point import SPACING_KM, optimise, reach_table
from .missiles import get_missile
from .places import load_launch_areas
from .sensors import sensor_set
from .uncertainty import ParameterSpace, quantiles, sobol_indices
from .warning import warning_time

#: the trajectory choices shown side by side (the scenario's own first)
TRAJECTORY_CHOICES = ("minimum-energy", "depressed", "lofted")
LAUNCH_SETS = ("reported sites", "notional areas")
BASELINE_SETS = ("all Russian baselines", "Russia proper")
QS = ("p5", "p50", "p95")


def _scenario_dict(scenario):
    """A scenario as the nested dict the analyses read: a loaded dict, a validated object
    (anything with ``model_dump()`` or ``to_dict()``), a path, or None for the paper scenario."""
    from .scenario import load_scenario

    if scenario is None or isinstance(scenario, (str, bytes)) or hasattr(scenario, "__fspath__"):
        return load_scenario(scenario)
    if isinstance(scenario, dict):
        return scenario
    for meth in ("to_dict", "model_dump"):
        if hasattr(scenario, meth):
            return getattr(scenario, meth)()
    raise TypeError(f"scenario must be a path, a dict or a validated scenario object, got {type(scenario).__name__}")


def reported_sites(area_names, missile_key, areas=None):
    """The areas among ``area_names`` where a unit of the class is publicly reported
    (``reported_for`` of the areas given, by default launch_areas.geojson)."""
    a = (load_launch_areas() if areas is None else areas).set_index("name")
    col = a["reported_for"] if "reported_for" in a.columns else pd.Series("", index=a.index)
    out = []
    for n in area_names:
        keys = str(col.get(n, "") or "")
        if missile_key in [k.strip() for k in keys.split(",") if k.strip()]:
            out.append(n)
    return out


class Analysis:
    """The analysis of one scenario (see the module). ``draws``, ``sobol_samples``, ``spacing_km``,
    ``trajectories`` override the scenario's uncertainty settings (tests use small ones).
    ``targets`` (a target table) replaces the scenario's: its capitals head the tables, its
    targets in the pressure countries are Claim 2's, and all of them (``targets``: capitals,
    pressure targets, then the others) get best points, warning and compression on the
    scenario's trajectory (``slice(targets=...)``), which the map's popups print."""

    def __init__(self, scenario=None, *, draws=None, sobol_samples=None, spacing_km=None, trajectories=None,
                 seed=None, distribution=None, targets=None):
        sc = _scenario_dict(scenario)
        self.sc = sc
        s, u = sc["scenario"], sc.get("uncertainty", {})
        self.s = s
        self.draws = int(draws if draws is not None else u.get("draws", 100))
        self.seed = int(seed if seed is not None else u.get("seed", 1))
        self.sobol_samples = int(sobol_samples if sobol_samples is not None else u.get("sobol_samples", 16))
        self.spacing_km = float(spacing_km if spacing_km is not None else u.get("geometry_spacing_km", SPACING_KM))
        self.distribution = distribution or u.get("distribution", "triangular")
        self.irbm = sc["irbm"]["missile"]
        self.srbm = sc["srbm"]["missile"]
        self.irbm_trajectory = sc["irbm"].get("trajectory", "minimum-energy")
        if self.irbm_trajectory == "default":
            self.irbm_trajectory = get_missile(self.irbm).default_trajectory
        if trajectories is None:  # the scenario's trajectory set (resolved names), else the three presets
            trajectories = [get_missile(self.irbm).default_trajectory if t == "default" else t
                            for t in sc["irbm"].get("trajectories", TRAJECTORY_CHOICES)]
        trajs = list(trajectories)
        self.trajectories = [self.irbm_trajectory] + [t for t in trajs if t != self.irbm_trajectory]
        self.sensors = s["sensors"]  # a scenario's SensorNames carry its sensor table (overrides applied)
        self.decision_delay_band = tuple(s.get("decision_delay_band", (0.0, 0.0, 0.0)))
        self.launch_areas = list(s["launch_areas"])
        self.baselines = {BASELINE_SETS[0]: list(s["baseline_areas"])}
        if s.get("interior_baseline_areas"):
            self.baselines[BASELINE_SETS[1]] = list(s["interior_baseline_areas"])
        self.launch_sets = {LAUNCH_SETS[0]: reported_sites(self.launch_areas, self.irbm, sc.get("areas")),
                            LAUNCH_SETS[1]: self.launch_areas}
        names = list(dict.fromkeys(self.launch_areas + [a for v in self.baselines.values() for a in v]))
        la = sc["areas"] if "areas" in sc else load_launch_areas()
        self.areas = la.set_index("name").loc[names].reset_index()
        if targets is None:
            self.capital_targets = scenario_targets(("capital",), sc=sc)
            self.pressure_targets = scenario_targets(("capital", "city", "military"), s["pressure_countries"], sc)
            self.other_targets = self.capital_targets.iloc[:0]
        else:  # a given target list: its capitals head the tables, its pressure-country targets Claim 2,
            # and every other target is carried too (best points, nominal, draws: claim1 / slice), so
            # each of the user's targets has its flight, warning and compression from this analysis
            targets = targets.reset_index(drop=True)
            self.capital_targets = targets[targets["kind"] == "capital"].reset_index(drop=True)
            self.pressure_targets = targets[targets["country_iso3"].isin(s["pressure_countries"])].reset_index(drop=True)
            known = set(self.capital_targets["name"]) | set(self.pressure_targets["name"])
            self.other_targets = targets[~targets["name"].isin(known)].reset_index(drop=True)
        t = pd.concat([self.capital_targets, self.pressure_targets, self.other_targets]).drop_duplicates("name")
        self.targets = t.reset_index(drop=True)
        self.space = ParameterSpace(self.irbm, self.sensors, self.decision_delay_band, self.distribution)
        self.nominal_sensors = sensor_set(names=self.sensors)

    # ------------------------------------------------------------------------------------------
    # the IRBM runs: best points, nominal and draws
    # ------------------------------------------------------------------------------------------
    def _opts(self, missile, trajectory):
        return dict(missile=missile, trajectory=trajectory, earth=self.s["earth"], rotation=self.s["rotation"],
                    on_invalid="nan")

    def _evaluator(self, targets, missile, trajectory, sensors=None, decision_delay_s=None, by="warning_time_s",
                   regimes=False):
        tl, tn = targets["lat_deg"].to_numpy(float), targets["lon_deg"].to_numpy(float)
        sens = sensors or self.nominal_sensors
        dd = self.decision_delay_band[1] if decision_delay_s is None else decision_delay_s
        opts = self._opts(missile, trajectory)

        def ev(lat, lon, ti):
            r = warning_time(lat, lon, tl[ti], tn[ti], sensors=sens, decision_delay_s=dd, **opts)
            return (r[by], r["detected_by"]) if regimes else r[by]
        return ev

    @functools.lru_cache(maxsize=None)  # noqa: B019 (one analysis object, kept by its views)
    def run(self, trajectory: str) -> dict:
        """Best points and warnings (nominal and draws) of the IRBM class on one trajectory over
        every area x target: dict(best=DataFrame, W=(areas, targets), flight=(areas, targets),
        draws=(draws, areas, targets), values=(draws, parameters))."""
        t = self.targets
        A, T = len(self.areas), len(t)
        # the headline trajectory covers every target (capitals and Claim 2's); the others the capitals
        nc = len(self.capital_targets)
        sub = np.arange(T) if trajectory == self.irbm_trajectory else np.arange(nc)
        ts = t.iloc[sub].reset_index(drop=True)
        best, alt = optimise(self.areas, ts, self._evaluator(ts, self.irbm, trajectory, regimes=True),
                             spacing_km=self.spacing_km, alternates=True)
        best["_t"] = sub[best["_t"].to_numpy()]
        best["target"] = t["name"].to_numpy()[best["_t"]]

        def full(col):
            out = np.full((A, T), np.nan)
            out[:, sub] = best[col].to_numpy().reshape(A, len(sub))
            return out

        lat, lon = full("lat_deg"), full("lon_deg")
        tl = np.broadcast_to(t["lat_deg"].to_numpy(float)[None, :], (A, T))
        tn = np.broadcast_to(t["lon_deg"].to_numpy(float)[None, :], (A, T))
        ok = np.isfinite(lat)
        nominal = self._warn_points(lat, lon, tl, tn, ok, trajectory, None, self.nominal_sensors,
                                    self.decision_delay_band[1])
        # the Monte Carlo draws belong to the scenario's own trajectory; the other trajectories are
        # a dimension shown side by side at the nominal (never mixed into the draws)
        n_draws = self.draws if trajectory == self.irbm_trajectory else 0
        rng = np.random.default_rng(self.seed)
        u = rng.random((n_draws, len(self.space.factors)))
        x = self.space.values(u)
        # candidates of the draws: the best point, and the best lattice point of every other
        # detection regime (first-detecting sensor) of the area for the target
        area_idx = {n: k for k, n in enumerate(self.areas["name"])}
        K = 1 + (int(alt.groupby(["area", "_t"]).size().max()) if len(alt) else 0)
        clat, clon = np.full((K, A, T), np.nan), np.full((K, A, T), np.nan)
        clat[0], clon[0] = lat, lon
        fill = np.ones((A, T), int)
        for ar, ti, la_, lo_ in zip(alt["area"], alt["_t"], alt["lat_deg"], alt["lon_deg"]):
            a, tt = area_idx[ar], int(sub[ti])
            if abs(la_ - lat[a, tt]) < 1e-9 and abs(lo_ - lon[a, tt]) < 1e-9:
                continue
            clat[fill[a, tt], a, tt], clon[fill[a, tt], a, tt] = la_, lo_
            fill[a, tt] += 1
        tlk, tnk = np.broadcast_to(tl, (K, A, T)), np.broadcast_to(tn, (K, A, T))
        cok = np.isfinite(clat)
        draws = np.stack([self._draw_min(clat, clon, tlk, tnk, cok, trajectory, *self.space.setting(xi))
                          for xi in x]) if n_draws else np.zeros((0, A, T))
        return dict(best=best, W=nominal[0], flight=nominal[1], lat=lat, lon=lon, draws=draws, u=u, values=x,
                    bound=full("bound_s"), covered=sub, cand=(clat, clon, tlk, tnk, cok), alternates=alt)

    def _draw_min(self, clat, clon, tl, tn, ok, trajectory, kp, sens, dd):
        """Least warning over each area's candidate points (K, A, T) -> (A, T) for one setting."""
        w = self._warn_points(clat, clon, tl, tn, ok, trajectory, kp, sens, dd)[0]
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.nanmin(w, axis=0)

    def _warn_points(self, lat, lon, tl, tn, ok, trajectory, kp, sens, dd):
        w = np.full(lat.shape, np.nan)
        f = np.full(lat.shape, np.nan)
        if ok.any():
            r = warning_time(lat[ok], lon[ok], tl[ok], tn[ok], sensors=sens, decision_delay_s=dd, kernel_params=kp,
                             drag_table="continuous", **self._opts(self.irbm, trajectory))
            w[ok], f[ok] = r.warning_time_s, r.flight_time_s
        return w, f

    # ------------------------------------------------------------------------------------------
    # Claim 1: dimensions side by side
    # ------------------------------------------------------------------------------------------
    def _idx(self, names):
        n = list(self.areas["name"])
        return [n.index(a) for a in names]

    def _side(self, run, names):
        """Per target: best area over a set (nominal), its point, flight, warning and the draws' minimum."""
        idx = self._idx(names)
        T = len(self.targets)
        if not idx:
            nan = np.full(T, np.nan)
            return dict(area=np.full(T, "", object), W=nan, flight=nan, lat=nan, lon=nan, bound=nan,
                        draws=np.full((run["draws"].shape[0], T), np.nan))
        W = run["W"][idx]
        key = np.where(np.isfinite(W), W, np.inf)
        k = np.argmin(key, axis=0)
        reach = np.isfinite(W).any(axis=0)
        pick = lambda a: np.where(reach, a[idx][k, np.arange(T)], np.nan)  # noqa: E731
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                d = np.nanmin(run["draws"][:, idx, :], axis=1) if run["draws"].shape[0] else np.zeros((0, T))
        return dict(area=np.where(reach, np.array(names, object)[k], ""), W=pick(run["W"]),
                    flight=pick(run["flight"]), lat=pick(run["lat"]), lon=pick(run["lon"]), bound=pick(run["bound"]),
                    draws=d)

    @functools.cached_property
    def claim1(self) -> pd.DataFrame:
        """Long table: trajectory x launch set x baseline set x target (capitals and pressure
        targets): nominal warning from each side, compression, p5 / p50 / p95 over the draws, the
        geometry error bound (s) of the two best points."""
        return pd.concat([self.claim1_for(t) for t in self.trajectories], ignore_index=True)

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def claim1_for(self, trajectory) -> pd.DataFrame:
        run = self.run(trajectory)
        rows = []
        for lname, lnames in self.launch_sets.items():
            L = self._side(run, lnames)
            for bname, bnames in self.baselines.items():
                B = self._side(run, bnames)
                comp = B["W"] - L["W"]
                df = pd.DataFrame({
                    "trajectory": trajectory, "launch_set": lname, "baseline_set": bname,
                    "target": self.targets["name"].to_numpy(), "country": self.targets["country_iso3"].to_numpy(),
                    "kind": self.targets["kind"].to_numpy(),
                    "launch_area": L["area"], "launch_lat_deg": L["lat"], "launch_lon_deg": L["lon"],
                    "launch_flight_time_s": L["flight"], "launch_warning_s": L["W"],
                    "baseline_area": B["area"], "baseline_lat_deg": B["lat"], "baseline_lon_deg": B["lon"],
                    "baseline_flight_time_s": B["flight"], "baseline_warning_s": B["W"],
                    "compression_s": comp, "geometry_bound_s": L["bound"] + B["bound"],
                    "draws": L["draws"].shape[0],
                })
                for name, arr in (("launch_warning", L["draws"]), ("baseline_warning", B["draws"]),
                                  ("compression", B["draws"] - L["draws"])):
                    q = quantiles(arr) if arr.shape[0] else np.full((3, len(df)), np.nan)
                    for j, qn in enumerate(QS):
                        df[f"{name}_{qn}_s"] = q[j]
                rows.append(df.iloc[run["covered"]])
        return pd.concat(rows, ignore_index=True)

    def slice(self, trajectory=None, launch_set=LAUNCH_SETS[1], baseline_set=BASELINE_SETS[0], kind=None,
              targets=None) -> pd.DataFrame:
        c = self.claim1_for(trajectory or self.irbm_trajectory)
        c = c[(c["launch_set"] == launch_set) & (c["baseline_set"] == baseline_set)]
        if targets is not None:
            c = c[c["target"].isin(list(targets))]
        elif kind == "capital":
            c = c[c["target"].isin(self.capital_targets["name"])]
        return c.reset_index(drop=True)

    @property
    def capitals(self) -> pd.DataFrame:
        """The headline table (the report's capitals table and the map popups): the scenario's
        trajectory, every notional area, every Russian baseline."""
        return self.slice(kind="capital")

    @functools.cached_property
    def claim1_summary(self) -> pd.DataFrame:
        """Median compression (nominal and p5 / p95 of the per-draw median) over the capitals in
        reach, and counts, for every trajectory x launch set x baseline set."""
        rows = []
        caps = set(self.capital_targets["name"])
        for traj in self.trajectories:
            c = self.claim1_for(traj)
            c = c[c["target"].isin(caps)]
            run = self.run(traj)
            for (ls, bs), g in c.groupby(["launch_set", "baseline_set"], sort=False):
                comp = g["compression_s"].to_numpy(float)
                fin = comp[np.isfinite(comp)]
                L = self._side(run, self.launch_sets[ls])
                B = self._side(run, self.baselines[bs])
                cap_idx = np.isin(self.targets["name"].to_numpy(), list(caps))
                d = (B["draws"] - L["draws"])[:, cap_idx]
                with np.errstate(all="ignore"):
                    import warnings

                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        med = np.nanmedian(d, axis=1) if d.shape[0] else np.array([np.nan])
                q = quantiles(med[:, None])[:, 0] if d.shape[0] else np.full(3, np.nan)
                rows.append({"trajectory": traj, "launch areas": ls,
                             "areas": ", ".join(self.launch_sets[ls]) or "none",
                             "baselines": bs, "capitals in reach": int(fin.size),
                             "median compression (s)": float(np.median(fin)) if fin.size else math.nan,
                             "p5 of median (s)": q[0], "p95 of median (s)": q[2],
                             "capitals losing > 60 s": int((fin > 60).sum()),
                             "capitals losing none": int((fin <= 0).sum())})
        return pd.DataFrame(rows)

    @functools.cached_property
    def area_extremes(self) -> pd.DataFrame:
        """Per Belarus area and capital (headline trajectory, nominal): the attacker's best point
        (least warning) and worst point (most warning) of the polygon, with their error bounds."""
        traj = self.irbm_trajectory
        run = self.run(traj)
        t = self.capital_targets
        areas = self.areas[self.areas["name"].isin(self.launch_areas)].reset_index(drop=True)
        worst = optimise(areas, t, self._evaluator(t, self.irbm, traj), sense="max", spacing_km=self.spacing_km)
        b = run["best"]
        b = b[b["area"].isin(self.launch_areas) & b["target"].isin(t["name"])]
        worst["target"] = t["name"].to_numpy()[worst["_t"]]
        m = b[["area", "target", "lat_deg", "lon_deg", "value", "bound_s"]].merge(
            worst[["area", "target", "lat_deg", "lon_deg", "value", "bound_s"]], on=["area", "target"],
            suffixes=("_best", "_worst"))
        return m.rename(columns={"value_best": "least_warning_s", "value_worst": "most_warning_s"})

    # ------------------------------------------------------------------------------------------
    # sensitivity
    # ------------------------------------------------------------------------------------------
    def _outputs(self, W):
        """(warning per capital, compression per capital) of one area x target warning matrix,
        for the headline slice (notional areas, all baselines)."""
        li, bi = self._idx(self.launch_sets[LAUNCH_SETS[1]]), self._idx(self.baselines[BASELINE_SETS[0]])
        cap = np.isin(self.targets["name"].to_numpy(), self.capital_targets["name"].to_numpy())
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                lw = np.nanmin(W[..., li, :], axis=-2)[..., cap]
                bw = np.nanmin(W[..., bi, :], axis=-2)[..., cap]
        return lw, bw - lw

    def evaluate_values(self, x, trajectory, capitals_only=True):
        """Warnings (rows of x, areas, targets) at the best points for parameter values x; only
        the capitals' columns unless ``capitals_only`` is False (the others NaN)."""
        run = self.run(trajectory)
        clat, clon, tl, tn, ok = run["cand"]
        if capitals_only:
            ok = ok & np.isin(self.targets["name"].to_numpy(), self.capital_targets["name"].to_numpy())[None, None, :]
        return np.stack([self._draw_min(clat, clon, tl, tn, ok, trajectory, *self.space.setting(xi))
                         for xi in np.atleast_2d(x)])

    @functools.cached_property
    def tornado(self) -> pd.DataFrame:
        """One-at-a-time: each factor group at its low and at its high end (the rest nominal);
        per capital the warning and compression there, and the swing |high - low| (s)."""
        traj = self.irbm_trajectory
        groups = list(dict.fromkeys(self.space.groups))
        lw0, c0 = self._outputs(self.run(traj)["W"])
        names = self.capital_targets["name"].to_numpy()
        rows = []
        for g in groups:
            W = self.evaluate_values(np.vstack([self.space.one_at_a_time(g, "low"), self.space.one_at_a_time(g, "high")]),
                                  traj)
            lw, c = self._outputs(W)
            for out, lo, hi, nom in (("warning", lw[0], lw[1], lw0), ("compression", c[0], c[1], c0)):
                rows.append(pd.DataFrame({"target": names, "output": out, "group": g, "nominal_s": nom,
                                          "at_low_s": lo, "at_high_s": hi, "swing_s": np.abs(hi - lo)}))
        df = pd.concat(rows, ignore_index=True)
        df["rank"] = df.groupby(["target", "output"])["swing_s"].rank(ascending=False, method="first")
        return df.sort_values(["target", "output", "rank"]).reset_index(drop=True)

    @functools.cached_property
    def sobol(self) -> pd.DataFrame:
        """Sobol first-order and total indices per capital (warning and compression) and factor group."""
        traj = self.irbm_trajectory
        names = self.capital_targets["name"].to_numpy()

        def ev(u):
            lw, c = self._outputs(self.evaluate_values(self.space.values(u), traj))
            return np.hstack([lw, c])

        r = sobol_indices(ev, len(self.space.factors), groups=self.space.groups, n_base=self.sobol_samples,
                          seed=self.seed, names=self.space.names)
        rows = []
        n = len(names)
        for j in range(2 * n):
            for g, grp in enumerate(r["groups"]):
                rows.append(dict(target=names[j % n], output="warning" if j < n else "compression", group=grp,
                                 S1=r["S1"][j, g], ST=r["ST"][j, g], S1_conf=r["S1_conf"][j, g],
                                 ST_conf=r["ST_conf"][j, g]))
        df = pd.DataFrame(rows)
        df.attrs["n_evaluations"] = r["n_evaluations"]
        return df

    @functools.cached_property
    def sensitivity_ranking(self) -> pd.DataFrame:
        """Per capital and output: the factor groups in order of total Sobol index, with the
        tornado swing beside them; the top three."""
        s, t = self.sobol, self.tornado
        m = s.merge(t[["target", "output", "group", "swing_s"]], on=["target", "output", "group"], how="left")
        m = m.sort_values(["target", "output", "ST"], ascending=[True, True, False])
        top = m.groupby(["target", "output"], sort=False).head(3).copy()
        top["rank"] = top.groupby(["target", "output"]).cumcount() + 1
        return top.reset_index(drop=True)

    # ------------------------------------------------------------------------------------------
    # fastest threat, Claim 2, the rest
    # ------------------------------------------------------------------------------------------
    @functools.cached_property
    def srbm_best(self) -> pd.DataFrame:
        """The SRBM class's best point of every area (launch and baseline) for every capital (nominal)."""
        traj = self.sc["srbm"].get("trajectory", "minimum-energy")
        areas = self.areas
        t = self.capital_targets
        b = optimise(areas, t, self._evaluator(t, self.srbm, traj), spacing_km=self.spacing_km)
        b["target"] = t["name"].to_numpy()[b["_t"]]
        f = self._evaluator(t, self.srbm, traj, by="flight_time_s")
        ok = np.isfinite(b["lat_deg"].to_numpy())
        fl = np.full(len(b), np.nan)
        if ok.any():
            fl[ok] = f(b["lat_deg"].to_numpy()[ok], b["lon_deg"].to_numpy()[ok], b["_t"].to_numpy()[ok])
        b["flight_time_s"] = fl
        b["trajectory"] = traj if traj != "default" else get_missile(self.srbm).default_trajectory
        return b

    def best_points(self, run: str = "irbm") -> pd.DataFrame:
        """Long table (area, target, lat_deg, lon_deg) of the attacker's nominal best point of
        every area for every target it covers: the IRBM class on the scenario's trajectory
        (capitals and pressure targets) or the SRBM class (capitals). NaN where the area reaches
        nothing. Every view that needs 'the best point' reads it here."""
        if run == "srbm":
            b = self.srbm_best
            return b[["area", "target", "lat_deg", "lon_deg"]].reset_index(drop=True)
        r = self.run(self.irbm_trajectory)
        A, T = r["lat"].shape
        return pd.DataFrame({"area": np.repeat(self.areas["name"].to_numpy(), T),
                             "target": np.tile(self.targets["name"].to_numpy(), A),
                             "lat_deg": r["lat"].ravel(), "lon_deg": r["lon"].ravel()})

    @functools.cached_property
    def fastest_threat(self) -> pd.DataFrame:
        """Per capital, over the deployed classes, the class and launch point leaving the least
        warning (ties: the shorter flight); each class's own flight and warning beside it."""
        caps = self.capitals
        sb = self.srbm_best
        sb = sb[sb["area"].isin(self.launch_areas)]
        names = self.capital_targets["name"].to_numpy()
        per = {}
        per[self.irbm] = dict(W=caps["launch_warning_s"].to_numpy(float), F=caps["launch_flight_time_s"].to_numpy(float),
                              area=caps["launch_area"].to_numpy(object), traj=self.irbm_trajectory)
        W = sb.pivot(index="area", columns="target", values="value").reindex(columns=names)
        F = sb.pivot(index="area", columns="target", values="flight_time_s").reindex(columns=names)
        key = np.where(np.isfinite(W.to_numpy()), W.to_numpy(), np.inf)
        k = np.argmin(key, axis=0)
        reach = np.isfinite(W.to_numpy()).any(axis=0)
        ar = np.arange(len(names))
        per[self.srbm] = dict(W=np.where(reach, W.to_numpy()[k, ar], np.nan), F=np.where(reach, F.to_numpy()[k, ar], np.nan),
                              area=np.where(reach, W.index.to_numpy()[k], ""), traj=sb["trajectory"].iloc[0])
        classes = [self.srbm, self.irbm]
        w = np.column_stack([per[c]["W"] for c in classes])
        fl = np.column_stack([per[c]["F"] for c in classes])
        key = np.where(np.isfinite(w), w, np.inf) + 1e-9 * np.where(np.isfinite(fl), fl, 0.0)
        reach = np.isfinite(w).any(axis=1)
        j = np.argmin(key, axis=1)
        out = pd.DataFrame({
            "target": names, "country": self.capital_targets["country_iso3"].to_numpy(),
            "fastest_class": np.where(reach, np.array(classes, object)[j], ""),
            "trajectory": np.where(reach, np.array([per[c]["traj"] for c in classes], object)[j], ""),
            "from_belarus_area": np.where(reach, np.array([per[classes[jj]]["area"][i] for i, jj in enumerate(j)], object), ""),
            "flight_time_min": np.where(reach, fl[ar, j] / 60, np.nan),
            "warning_min": np.where(reach, w[ar, j] / 60, np.nan),
        })
        for c in classes:
            out[f"{c}_flight_time_min"] = per[c]["F"] / 60
            out[f"{c}_warning_min"] = per[c]["W"] / 60
        return out

    @functools.cached_property
    def claim2_reach(self) -> pd.DataFrame:
        """Claim 2 from polygon geometry: per pressure target, the nearest distance (km) from the
        notional launch areas and from each baseline set, and whether the SRBM class reaches it,
        at its nominal, low and high maximum range."""
        t = self.pressure_targets
        m = get_missile(self.srbm)
        areas = self.areas
        rt = reach_table(areas, t, m)
        d = rt.pivot(index="target", columns="area", values="nearest_km").reindex(t["name"])
        far = rt.pivot(index="target", columns="area", values="farthest_km").reindex(t["name"])
        out = pd.DataFrame({"target": t["name"].to_numpy(), "country": t["country_iso3"].to_numpy(),
                            "kind": t["kind"].to_numpy()})
        out["nearest_belarus_area"] = d[self.launch_areas].idxmin(axis=1).to_numpy()
        out["from_belarus_km"] = d[self.launch_areas].min(axis=1).to_numpy()
        for bname, bnames in self.baselines.items():
            out[f"nearest {bname} area"] = d[bnames].idxmin(axis=1).to_numpy()
            out[f"from {bname} km"] = d[bnames].min(axis=1).to_numpy()
        for band in ("low", "nominal", "high"):
            rmax, rmin = m.value("max_range_km", band), m.reach_min_km(band)

            def reach(names):
                return ((d[names] <= rmax) & (far[names] >= rmin)).any(axis=1).to_numpy()
            lr = reach(self.launch_areas)
            for bname, bnames in self.baselines.items():
                out[f"newly in reach vs {bname} ({band} range {rmax:.0f} km)"] = lr & ~reach(bnames)
        return out

    def newly_in_reach(self, baseline_set=BASELINE_SETS[0], band="nominal") -> pd.DataFrame:
        r = self.claim2_reach
        col = [c for c in r.columns if c.startswith(f"newly in reach vs {baseline_set} ({band} ")][0]
        return r[r[col]].reset_index(drop=True)

    @functools.cached_property
    def pressure(self) -> pd.DataFrame:
        """IRBM-class warning and compression for the pressure targets (headline slice)."""
        return self.slice(targets=self.pressure_targets["name"])

    @functools.cached_property
    def published_claims(self) -> pd.DataFrame:
        return published_claims(self.sc)

    @functools.cached_property
    def aegis(self) -> pd.DataFrame:
        return aegis_geometry(self.sc, "irbm")

    @functools.cached_property
    def claim3(self) -> dict:
        """Claim 3 (missile defence): windows, shots, the SRBM floor, footprints, the raid
        table (:func:`warning_time.defence.claim3_analysis`); the report and the map read it."""
        from .defence import claim3_analysis

        return claim3_analysis(self.sc)

    @functools.cached_property
    def exposure(self) -> pd.DataFrame:
        return exposure_table(self.sc)

    # ------------------------------------------------------------------------------------------
    # raw draws
    # ------------------------------------------------------------------------------------------
    def draws_table(self, trajectory=None) -> pd.DataFrame:
        """The raw Monte Carlo draws of one trajectory: one row per draw x area x target with the
        warning at the area's best point (s)."""
        run = self.run(trajectory or self.irbm_trajectory)
        D, A, T = run["draws"].shape
        return pd.DataFrame({"draw": np.repeat(np.arange(D), A * T),
                             "area": np.tile(np.repeat(self.areas["name"].to_numpy(), T), D),
                             "target": np.tile(self.targets["name"].to_numpy(), D * A),
                             "warning_s": run["draws"].ravel()})

    def draw_parameters(self, trajectory=None) -> pd.DataFrame:
        """The parameter values of every draw (one column per parameter)."""
        run = self.run(trajectory or self.irbm_trajectory)
        cols = [f"{f.name}:{mb.name}" if len(f.members) > 1 else f.name for f in self.space.factors for mb in f.members]
        df = pd.DataFrame(run["values"], columns=cols)
        df.insert(0, "draw", np.arange(len(df)))
        return df
