"""The ``warning-time`` command. ``main(argv)`` is callable in-process; exit codes:
0 success, 1 input error (message names file, row and field), 2 usage error."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .errors import InputError, Interrupted
from .flight import flight_time
from .batch import COORD_COLUMNS, DEFAULT_CHUNK_ROWS, FORMATS, OVERRIDE_COLUMNS, RESULT_COLUMNS  # noqa: F401
from .io import COMPRESSIONS, atomic_path, output_kind, package_csv
from .missiles import TRAJECTORIES, load_missiles

PLACE_KINDS = ("launch-areas", "targets", "sensors")
MAP_LAYERS = ("countries", "isochrones", "compression", "rings", "newly", "areas", "radars", "tracks", "footprints",
              "targets")  # warning_time.maps.LAYER_KEYS (not imported: the parser stays light)


def _add_model_args(p, *, missile_required=True):
    if missile_required:
        p.add_argument("--missile", required=True, help="missile class (see 'warning-time missiles')")
    else:
        p.add_argument("--missile", default=None, help="missile class (see 'warning-time missiles'); required "
                       "unless the input has a 'missile' column naming one on every row")
    p.add_argument("--trajectory", default="default", choices=TRAJECTORIES + ("default",),
                   help="trajectory shape (default: the missile class's own default trajectory)")
    p.add_argument("--apogee-km", type=float, default=None)
    p.add_argument("--flight-path-angle-deg", type=float, default=None)
    p.add_argument("--burnout-speed-m-s", type=float, default=None)
    p.add_argument("--branch", choices=("low", "high"), default="low")
    p.add_argument("--earth", choices=("wgs84", "sphere"), default="wgs84")
    p.add_argument("--no-rotation", action="store_true", help="non-rotating Earth")


def _model_kwargs(args):
    return dict(missile=args.missile, trajectory=args.trajectory, apogee_km=args.apogee_km,
                flight_path_angle_deg=args.flight_path_angle_deg,
                burnout_speed_m_s=args.burnout_speed_m_s, branch=args.branch, earth=args.earth,
                rotation=not args.no_rotation)


def _add_progress_arg(p):
    """--progress/--no-progress (default: a progress bar when stderr is a terminal)."""
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")


def _want_progress(args) -> bool:
    if args.progress is not None:
        return args.progress
    return sys.stderr.isatty()


def _parser():
    ex = "examples:\n  "
    p = argparse.ArgumentParser(prog="warning-time", description="Ballistic-missile flight and warning times "
                                "from notional launch areas (open-source figures only).")
    p.add_argument("--version", action="version", version=f"warning_time {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("brief", help="the default main job: flight-time tables, the claim-check report and the map",
                       epilog=ex + "warning-time brief -o brief", formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("-o", "--out", default=None, help="directory for brief files (CSV); prints only if omitted")

    f = sub.add_parser("flight", help="one flight", epilog=ex + "warning-time flight 53.30 28.64 52.23 21.01 "
                       "--missile iskander-m --trajectory default", formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in COORD_COLUMNS:
        f.add_argument(name, type=float)
    _add_model_args(f)

    t = sub.add_parser("table", help="launch points x NATO capitals matrix (minutes)",
                       epilog=ex + "warning-time table --missile oreshnik", formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_model_args(t)
    t.add_argument("-o", "--out", default=None, help="write the long-form table as CSV (- for standard output, "
                   "the matrix then goes to stderr)")

    ba = sub.add_parser("batch", help="flight times for every row of a CSV or (Geo)Parquet file, streamed in chunks",
                        description="Streams IN in chunks (bounded memory), computes every row and writes OUT "
                        "atomically (temporary file renamed at the end). Rows that cannot be computed keep "
                        "their place with NaN, status and reason. Optional per-row override columns: "
                        + ", ".join(OVERRIDE_COLUMNS) + " (an empty cell keeps the command-line option).",
                        epilog=ex + "warning-time batch pairs.csv -o out.csv --missile oreshnik\n"
                        "  warning-time batch pairs.csv.gz -o out.csv.zst --missile iskander-m --on-bad-line flag\n"
                        "  warning-time batch pairs.parquet -o out.geoparquet --missile oreshnik --chunk-rows 1000000\n"
                        "  warning-time batch pairs.parquet -o out.parquet --missile oreshnik --dask local:4\n"
                        "  warning-time batch pairs.parquet -o out.parquet --missile oreshnik --scheduler tcp://10.0.0.5:8786\n"
                        "  cat pairs.csv | warning-time batch - -o - --missile oreshnik | head\n"
                        "exit codes: 0 done, 1 input or output error (one line naming file, line or field), 2 usage,\n"
                        "  130 / 143 / 129 interrupted by SIGINT / SIGTERM / SIGHUP (temporary file removed, an existing\n"
                        "  output untouched)",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ba.add_argument("input", help="CSV or Parquet/GeoParquet with columns " + ", ".join(COORD_COLUMNS)
                    + " (GeoParquet: or LineString geometries launch -> target); CSV may be gzip, bzip2, xz or "
                    "zstd compressed; - reads standard input")
    ba.add_argument("-o", "--out", required=True, help="output .csv (.csv.gz, .csv.bz2, .csv.xz, .csv.zst), "
                    ".parquet or .geoparquet, written atomically; - writes CSV to standard output; may not be "
                    "the input")
    ba.add_argument("--output-format", choices=FORMATS, default=None,
                    help="output format (default: from the file name; another name is an error)")
    ba.add_argument("--compression", choices=("none",) + tuple(COMPRESSIONS), default=None,
                    help="CSV output compression (default: from the file name's .gz, .bz2, .xz or .zst)")
    ba.add_argument("--on-bad-line", choices=("error", "flag"), default="error",
                    help="a CSV line with too few or too many fields, or not valid CSV: 'error' stops naming the "
                    "line (a regular file is checked before anything is computed), 'flag' keeps its place as a "
                    "row with NaN and a reason naming the line (default: error)")
    ba.add_argument("--no-worker-timeout", type=float, default=120.0, metavar="SECONDS",
                    help="Dask runs stop with an error after this long without a worker (default 120)")
    ba.add_argument("--dask-min-work", type=float, default=None, metavar="SECONDS",
                    help="--dask local: start the cluster once the work left is estimated at more than this "
                    "many seconds in this process; a shorter run is computed here, as a cluster's start would "
                    "cost more than it wins back (default 10; 0: start it at once)")
    ba.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS,
                    help=f"rows per chunk (bounded memory; default {DEFAULT_CHUNK_ROWS:,})")
    dk = ba.add_mutually_exclusive_group()
    dk.add_argument("--dask", metavar="local[:N]", default=None,
                    help="run the chunks on a dask.distributed LocalCluster of N worker processes")
    dk.add_argument("--scheduler", metavar="ADDRESS", default=None,
                    help="run the chunks on an existing dask.distributed scheduler (e.g. tcp://host:8786)")
    _add_model_args(ba, missile_required=False)
    _add_progress_arg(ba)

    iso = sub.add_parser("isochrones", help="flight-time isochrone bands from launch areas (GeoPackage, GeoJSON, "
                         "GeoParquet or KML)",
                         epilog=ex + "warning-time isochrones --missile oreshnik --levels-min 6 8 10 12 -o iso.gpkg",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    iso.add_argument("--missile", default="oreshnik")
    iso.add_argument("--trajectory", default="minimum-energy", choices=TRAJECTORIES + ("default",))
    iso.add_argument("--areas", default=None, help="launch areas GeoJSON (default: the shipped notional areas)")
    iso.add_argument("--role", default="launch", choices=("launch", "baseline", "all"))
    iso.add_argument("--levels-min", type=float, nargs="+", default=[6, 8, 10, 12, 15])
    iso.add_argument("--res-deg", type=float, default=0.25)
    iso.add_argument("--earth", choices=("wgs84", "sphere"), default="wgs84")
    iso.add_argument("--no-rotation", action="store_true")
    iso.add_argument("-o", "--out", required=True, help="output file: .gpkg, .geojson, .parquet or .kml")

    mp = sub.add_parser("map", help="the interactive briefing map (one HTML file)",
                        epilog=ex + "warning-time map -o map.html --png slide.png --size 1600x900 --scale 2\n"
                               "  warning-time map --missile iskander-m --levels-min 2 4 6 8 -o srbm.html\n"
                               "  warning-time map --targets my_targets.csv --areas my_areas.geojson --embed 800x500 -o m.html",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    mp.add_argument("--scenario", default=None, help="scenario TOML (default: the paper scenario)")
    mp.add_argument("--targets", default=None, help="your targets CSV (same schema as data/targets.csv)")
    mp.add_argument("--areas", default=None, help="your launch areas GeoJSON (same schema)")
    mp.add_argument("--missile", default=None,
                    help="the class drawn (isochrones, compression, popups): replaces the scenario's [irbm] missile "
                         "(see 'warning-time missiles')")
    mp.add_argument("--trajectory", default=None, choices=TRAJECTORIES + ("default",),
                    help="its trajectory (default: the scenario's, or the class's own with --missile)")
    mp.add_argument("--rings", action="append", default=None, metavar="MISSILE",
                    help="classes for the maximum-range rings (repeat; default: the SRBM and the drawn class)")
    mp.add_argument("--levels-min", type=float, nargs="+", default=[6, 8, 10, 12, 15],
                    help="isochrone levels in minutes (default: 6 8 10 12 15)")
    mp.add_argument("--title", default=None, help="map title (default: the scenario's)")
    mp.add_argument("--subtitle", default=None, help="a line under the title")
    mp.add_argument("--extent", default=None, metavar="W,S,E,N",
                    help="the view in degrees, e.g. -12,36,42,66 (default: fitted to the areas and the targets in reach)")
    mp.add_argument("--layers", default=None, metavar="L1,L2",
                    help="layers to draw, comma-separated (default: all): " + ", ".join(MAP_LAYERS))
    mp.add_argument("--offline", action=argparse.BooleanOptionalAction, default=True,
                    help="inline every script and style: no network request (default: on)")
    mp.add_argument("--embed", default=None, metavar="WxH", help="size the map to fit an iframe, e.g. 800x500")
    mp.add_argument("--res-deg", type=float, default=0.25, help="grid resolution of the surfaces (deg)")
    mp.add_argument("--draws", type=int, default=None, help="Monte Carlo draws of the analysis (default: the scenario's)")
    mp.add_argument("--png", default=None, help="also write a slide PNG without interactive controls (needs Chromium)")
    mp.add_argument("--size", default=None, metavar="WxH",
                    help="PNG page size in CSS px (default: the --embed size, else 1600x1000)")
    mp.add_argument("--scale", type=float, default=1.0, help="PNG pixels per CSS px, e.g. 2 for a sharp slide")
    mp.add_argument("--pdf", default=None,
                    help="also write a one-page A4 landscape PDF through Chromium's print (no interactive controls)")
    mp.add_argument("-o", "--out", default="map.html", help="output HTML")

    rp = sub.add_parser("report", help="the claim-check report (Markdown, HTML, CSV)",
                        epilog=ex + "warning-time report -o brief\n  warning-time report --scenario my.toml -o out",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    rp.add_argument("--scenario", default=None, help="scenario TOML (default: the paper scenario)")
    rp.add_argument("-o", "--out", default="brief", help="output directory")
    rp.add_argument("--draws", type=int, default=None, help="override the scenario's Monte Carlo draws")
    rp.add_argument("--pdf", action="store_true",
                    help="also write report.pdf (A4, Chromium's print of report.html; needs Chromium)")
    rp.add_argument("--sobol-samples", type=int, default=None,
                    help="override the scenario's Sobol base samples (model runs: samples x (factor groups + 2))")

    scn = sub.add_parser("scenario", help="check a scenario file, or show it with every default filled in",
                         epilog=ex + "warning-time scenario check my.toml\n  warning-time scenario show my.toml > effective.toml\n"
                                "  warning-time scenario show          (the shipped paper scenario)",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    scn_sub = scn.add_subparsers(dest="scenario_command", required=True)
    chk = scn_sub.add_parser("check", help="validate a scenario file; prints its hash")
    chk.add_argument("file", help="scenario TOML")
    shw = scn_sub.add_parser("show", help="the effective scenario (defaults filled in) as TOML on standard output")
    shw.add_argument("file", nargs="?", default=None, help="scenario TOML (default: the paper scenario)")
    shw.add_argument("-o", "--out", default=None, help="write it to this file instead")

    cmp_ = sub.add_parser("compare", help="two scenarios side by side: warning and compression per capital, and "
                          "what changed in the assumptions",
                          epilog=ex + "warning-time compare paper.toml my.toml\n  warning-time compare A.toml B.toml -o cmp",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    cmp_.add_argument("a", help="scenario A (TOML; 'paper' for the shipped paper scenario)")
    cmp_.add_argument("b", help="scenario B (TOML; 'paper' for the shipped paper scenario)")
    cmp_.add_argument("-o", "--out", default=None, help="also write compare.md, compare.csv and changes.csv here")

    en = sub.add_parser("engage", help="missile-defence engagement windows of one flight (or a file of pairs) "
                        "against defence sites",
                        description="Engagement windows: the cue (the warning model's first warning), commit and "
                        "launch delays, the interval of threat times an interceptor launched after the cue can meet "
                        "inside its envelope, intercept points, closing speed and shoot-look-shoot opportunities. "
                        "Interceptors and sites: warning_time/data/interceptors.toml (every value sourced, banded; "
                        "(D) = assumed).",
                        epilog=ex + "warning-time engage 53.30 28.64 52.52 13.40 --missile oreshnik --site redzikowo "
                        "--site deveselu\n  warning-time engage --list\n  warning-time engage --pairs pairs.csv "
                        "--missile oreshnik --site holzdorf -o windows.csv",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in COORD_COLUMNS:
        en.add_argument(name, type=float, nargs="?")
    _add_model_args(en, missile_required=False)
    en.add_argument("--pairs", default=None, help="CSV with columns " + ", ".join(COORD_COLUMNS) + " (instead of "
                    "the four coordinates)")
    en.add_argument("--site", action="append", default=None, help="defence site (repeatable; see --list)")
    en.add_argument("--interceptor", default=None, help="interceptor fired (default: each site's first)")
    en.add_argument("--cueing", choices=("remote", "own"), default="remote",
                    help="remote: every sensor (or --sensor); own: the site's own radar")
    en.add_argument("--sensor", action="append", default=None, help="cueing sensor of sensors.toml (repeatable)")
    en.add_argument("--cue-s", type=float, default=None, help="cue time (s after launch) instead of the warning model's")
    en.add_argument("--band", choices=("nominal", "low", "high"), default="nominal",
                    help="end of the interceptor's bands")
    en.add_argument("--catalog", default=None, help="a user interceptors.toml instead of the shipped one")
    en.add_argument("--list", action="store_true", help="list the interceptors and sites and exit")
    en.add_argument("-o", "--out", default=None, help="write the windows as CSV (- for standard output)")

    sub.add_parser("missiles", help="list the missile catalog", epilog=ex + "warning-time missiles",
                   formatter_class=argparse.RawDescriptionHelpFormatter)
    pl = sub.add_parser("places", help="list the notional launch areas, targets and sensors with their sources",
                        epilog=ex + "warning-time places\n  warning-time places --kind targets -o targets.csv",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pl.add_argument("--kind", choices=PLACE_KINDS + ("all",), default="all", help="which places to list")
    pl.add_argument("-o", "--out", default=None, help="also write the listed places as CSV")
    sub.add_parser("versions", help="versions of warning_time and its dependencies",
                   epilog=ex + "warning-time versions", formatter_class=argparse.RawDescriptionHelpFormatter)
    return p


def _cmd_engage(args):
    from . import defence as D

    if args.list:
        its = D.load_interceptors(args.catalog)
        print("Interceptors (interceptors.toml; (D) = assumed):")
        for it in its.values():
            print(f"  {it.key:<14} {it.label:<32} {it.tier:<8} burnout {it.value('burnout_speed_m_s'):.0f} m/s, "
                  f"altitude {it.value('min_intercept_altitude_km'):g}-{it.value('max_intercept_altitude_km'):g} km, "
                  f"range {it.value('max_range_km'):g} km")
        print("Sites:")
        for s in D.load_sites(args.catalog).values():
            print(f"  {s.key:<18} {s.label:<58} {s.lat_deg:8.3f} {s.lon_deg:8.3f}  {', '.join(s.interceptors)}"
                  + ("  NOTIONAL" if s.notional else ""))
        return 0
    if args.missile is None:
        raise InputError("--missile", message="engage needs --missile (see 'warning-time missiles')")
    coords = [getattr(args, c) for c in COORD_COLUMNS]
    if args.pairs:
        if any(c is not None for c in coords):
            raise InputError("--pairs", message="give either the four coordinates or --pairs FILE, not both")
        pairs = pd.read_csv(args.pairs)
        missing = [c for c in COORD_COLUMNS if c not in pairs.columns]
        if missing:
            raise InputError("--pairs", message=f"{args.pairs}: missing column(s) {missing}; needs "
                             + ", ".join(COORD_COLUMNS))
        coords = [pairs[c].to_numpy(float) for c in COORD_COLUMNS]
    elif any(c is None for c in coords):
        raise InputError("coordinates", message="engage needs LAUNCH_LAT LAUNCH_LON TARGET_LAT TARGET_LON (degrees) "
                         "or --pairs FILE (or --list)")
    if not args.site:
        raise InputError("--site", message="engage needs at least one --site; choices: "
                         + ", ".join(D.load_sites(args.catalog)))
    df = D.engagement_windows(*coords, missile=args.missile, trajectory=args.trajectory, earth=args.earth,
                              rotation=not args.no_rotation, site=args.site, interceptor=args.interceptor,
                              cueing=args.cueing, sensors=args.sensor, cue_s=args.cue_s, band=args.band,
                              catalog=args.catalog)
    if args.out:
        with atomic_path(args.out) as tmp:
            df.to_csv(tmp, index=False)
        if str(args.out) == "-":
            return 0
    if len(df) <= 12:
        show = ["site", "interceptor", "flight_time_s", "cue_s", "cued_by", "earliest_launch_s", "window_s",
                "first_intercept_s", "last_intercept_s", "first_intercept_altitude_km", "first_intercept_range_km",
                "closing_speed_first_m_s", "geometry_first", "shots", "status"]
        print(f"Engagement windows: missile {args.missile}, trajectory {args.trajectory}, cueing {args.cueing}, "
              f"band {args.band}. Interceptor data are open-source estimates, many assumed (D); NOTIONAL.")
        print(df[show].round(1).T.to_string())
    else:
        print(df.groupby(["site", "interceptor"])[["window_s", "shots"]].describe().round(1).to_string())
    return 0


def _cmd_flight(args):
    r = flight_time(args.launch_lat_deg, args.launch_lon_deg, args.target_lat_deg, args.target_lon_deg,
                    **_model_kwargs(args))
    df = r.to_frame()
    for col in df.columns:
        print(f"{col:>22}: {df[col].iloc[0]}")
    return 0


def _capital_table(**kw):
    lp = package_csv("launch_points.csv")
    tg = package_csv("targets.csv")
    tg = tg[tg["kind"] == "capital"]
    la, ta = np.meshgrid(np.arange(len(lp)), np.arange(len(tg)), indexing="ij")
    r = flight_time(lp["lat_deg"].to_numpy()[la], lp["lon_deg"].to_numpy()[la],
                    tg["lat_deg"].to_numpy()[ta], tg["lon_deg"].to_numpy()[ta], on_invalid="nan", **kw)
    df = r.to_frame()
    df.insert(0, "target", tg["name"].to_numpy()[ta].ravel())
    df.insert(0, "launch_point", lp["name"].to_numpy()[la].ravel())
    return df


def _print_matrix(df, title, file=None):
    wide = df.pivot(index="target", columns="launch_point", values="flight_time_s") / 60.0
    print(title, file=file)
    print(wide.round(1).to_string(na_rep="-"), file=file)


def _need_directory(out, what):
    """InputError for ``-o -`` where the output is a directory of files."""
    if str(out) == "-":
        raise InputError("--out", message=f"-o -: {what} writes a directory of files; give a directory path "
                         "(standard output is not supported)")


def _cmd_table(args):
    df = _capital_table(**_model_kwargs(args))
    _print_matrix(df, f"Flight time (min), missile {args.missile}, trajectory {df['trajectory'].iloc[0]}, "
                      f"earth {args.earth}, rotation {not args.no_rotation}. Launch points are NOTIONAL.",
                  file=sys.stderr if args.out == "-" else None)  # stdout carries only the CSV then
    if args.out:
        with atomic_path(args.out) as tmp:
            df.to_csv(tmp, index=False)
        if output_kind(args.out) == "file":  # a JSON sidecar: what produced the table
            from .model import FlightModel
            from .provenance import model_record, run_provenance, write_sidecar

            kw = {k: v for k, v in _model_kwargs(args).items() if v is not None}
            write_sidecar(args.out, run_provenance(command="table", options=kw,
                                                   models=[model_record(FlightModel.resolve(**kw), kw)],
                                                   inputs=["package data: launch_points.csv, targets.csv"]))
    return 0


def _cmd_isochrones(args):
    from .geometry import export, isochrones
    from .places import load_launch_areas

    if output_kind(args.out) in ("stdout", "chr", "fifo"):
        raise InputError("--out", message=f"-o {args.out}: isochrones need a file path (.gpkg, .geojson, .parquet "
                         "or .kml), not standard output, a device or a FIFO")
    if not (0.02 <= args.res_deg <= 5):
        raise InputError("--res-deg", message="--res-deg must be in [0.02, 5]")
    if any(not (0 < lv < 200) for lv in args.levels_min):
        raise InputError("--levels-min", message="--levels-min values must be in (0, 200) minutes")
    a = load_launch_areas(args.areas)
    if args.role != "all":
        a = a[a["role"] == args.role]
    bands = isochrones(a, missile=args.missile, trajectory=args.trajectory, levels_min=tuple(args.levels_min),
                       res_deg=args.res_deg, earth=args.earth, rotation=not args.no_rotation)
    export(bands, args.out)
    print(f"wrote {len(bands)} bands to {args.out}")
    return 0


def _wxh(opt, value):
    try:
        w, h = (int(x) for x in value.lower().split("x"))
    except ValueError:
        raise InputError(opt, message=f"{opt} {value!r} must look like 800x500") from None
    if not (50 <= w <= 10000 and 50 <= h <= 10000):
        raise InputError(opt, message=f"{opt} {value}: width and height must be 50-10000 px")
    return w, h


def map_scenario(path=None, *, missile=None, trajectory=None, draws=None) -> dict:
    """The scenario a map is drawn for: the file (or the paper scenario) with ``missile`` and
    ``trajectory`` replacing its [irbm] class and trajectory, validated like any scenario (the
    hash states the change)."""
    from .io import parse_toml
    from .scenario import load_scenario, read_scenario_text, resolve, validate_spec

    if missile is None and trajectory is None:
        return load_scenario(path, draws=draws)
    text, source, base = read_scenario_text(path)
    data = parse_toml(text, "scenario", source)
    irbm = data.setdefault("irbm", {})
    if missile is not None:
        irbm["missile"] = missile
        irbm["trajectory"] = trajectory or "default"
        irbm["trajectories"] = [irbm["trajectory"]]
    elif trajectory is not None:
        irbm["trajectory"] = trajectory
    if draws is not None:
        data.setdefault("uncertainty", {})["draws"] = draws
    return resolve(validate_spec(data, source), source, base)


def _cmd_map(args):
    """Every option is checked (names, sizes, files, the scenario) before anything is computed."""
    from .map_options import parse_extent, parse_layers, parse_levels

    embed = _wxh("--embed", args.embed) if args.embed else None
    size = _wxh("--size", args.size) if args.size else (embed or (1600, 1000))
    if not (0.5 <= args.scale <= 4):
        raise InputError("--scale", message="--scale must be in [0.5, 4]")
    if not (0.02 <= args.res_deg <= 5):
        raise InputError("--res-deg", message="--res-deg must be in [0.02, 5]")
    if args.draws is not None and not (1 <= args.draws <= 1000):
        raise InputError("--draws", message="--draws must be in [1, 1000]")
    for opt, val in (("--png", args.png), ("--pdf", args.pdf)):
        if val and output_kind(args.out) not in ("file", "missing"):
            raise InputError(opt, message=f"{opt} needs -o to be an HTML file to render, not {args.out}")
    layers = parse_layers(args.layers)
    levels = parse_levels(args.levels_min)
    extent = parse_extent(args.extent)
    catalog = sorted(load_missiles())
    for name in [args.missile] * (args.missile is not None) + list(args.rings or []):
        if name not in catalog:
            raise InputError("--missile", message=f"missile {name!r} is not a class; choose from {', '.join(catalog)}")
    from .maps import build_map, map_exports, png_available, save_map
    from .places import load_launch_areas, load_targets

    for opt, val, what in (("--png", args.png, "a PNG"), ("--pdf", args.pdf, "a PDF")):
        if val and png_available(what):
            raise InputError(opt, message=f"{opt}: {png_available(what)}")
    targets = load_targets(args.targets) if args.targets else None
    areas = load_launch_areas(args.areas) if args.areas else None
    sc = map_scenario(args.scenario, missile=args.missile, trajectory=args.trajectory, draws=args.draws)
    status = sys.stderr if args.out == "-" else None  # stdout carries only the HTML then
    from .study import Analysis

    analysis = Analysis(sc, targets=targets)
    rings = args.rings or ([sc["srbm"]["missile"], sc["irbm"]["missile"]] if args.missile else None)
    m = build_map(analysis=analysis, targets=targets, areas=areas, missiles=rings, res_deg=args.res_deg,
                  offline=args.offline, levels_min=levels, title=args.title, subtitle=args.subtitle, extent=extent,
                  layers=layers)
    save_map(m, args.out, offline=args.offline, embed=embed)
    print(f"wrote {args.out}", file=status)
    if args.png or args.pdf:  # one browser for both
        map_exports(args.out, png=args.png, pdf=args.pdf, width=size[0], height=size[1], scale=args.scale)
    if args.png:
        print(f"wrote {args.png} ({int(size[0] * args.scale)}x{int(size[1] * args.scale)} px)", file=status)
    if args.pdf:
        print(f"wrote {args.pdf} (one A4 landscape page)", file=status)
    return 0


def _cmd_report(args):
    from .report import build_report

    if args.draws is not None and not (1 <= args.draws <= 1000):
        raise InputError("--draws", message="--draws must be in [1, 1000]")
    _need_directory(args.out, "report")
    if args.sobol_samples is not None and not (2 <= args.sobol_samples <= 4096):
        raise InputError("--sobol-samples", message="--sobol-samples must be in [2, 4096]")
    from .browser import html_pdf, missing

    if args.pdf and missing("report.pdf"):
        raise InputError("--pdf", message=f"--pdf: {missing('report.pdf')}")
    tables = build_report(args.scenario, args.out, draws=args.draws, sobol_samples=args.sobol_samples)
    print(f"wrote {args.out}/report.md, report.html (charts embedded), brief_card.png, tables.xlsx, charts/ and "
          f"{len(tables)} CSV tables")
    if args.pdf:
        html_pdf(Path(args.out) / "report.html", Path(args.out) / "report.pdf", what="report.pdf")
        print(f"wrote {args.out}/report.pdf (A4)")
    return 0


def _cmd_brief(args):
    _need_directory(args.out, "brief")
    frames = []
    for missile, traj in (("iskander-m", "default"), ("oreshnik", "minimum-energy")):
        df = _capital_table(missile=missile, trajectory=traj)
        frames.append(df)
        _print_matrix(df, f"\nFlight time (min) to NATO capitals, {missile} ({df['trajectory'].iloc[0]}), "
                          "WGS84, rotating Earth. Launch points are NOTIONAL; '-' = outside the class's range band "
                          "(see status and reason in the CSV).")
    if args.out:
        from pathlib import Path

        from .report import build_report

        out = Path(args.out)
        with atomic_path(out / "flight_times.csv") as tmp:
            pd.concat(frames).to_csv(tmp, index=False)
        from .study import Analysis

        analysis = Analysis(None)  # one analysis: the report and the map read it
        tables = build_report(None, out, analysis=analysis, with_map=True)  # map.html is written below
        print(f"\nwrote {out / 'flight_times.csv'}, {out / 'report.md'}, {out / 'report.html'}, "
              f"{out / 'brief_card.png'}, {out / 'tables.xlsx'} and {len(tables)} CSV tables")
        from concurrent.futures import ThreadPoolExecutor

        from .browser import html_pdf
        from .maps import build_map, map_exports, png_available, save_map

        why = png_available("map.png and map.pdf")
        with ThreadPoolExecutor(max_workers=1) as pool:
            # report.pdf (about 3 s, mostly Chromium's own process) is printed while the map is built;
            # each thread has its own browser (Playwright's sync API is per thread)
            report_pdf = None if why else pool.submit(html_pdf, out / "report.html", out / "report.pdf",
                                                      what="report.pdf")
            save_map(build_map(None, analysis=analysis), out / "map.html", offline=True)
            print(f"wrote {out / 'map.html'} (offline, self-contained)")
            if why is None:  # one browser: the slide and the A4 print (about 2 s more than the PNG alone)
                map_exports(out / "map.html", png=out / "map.png", pdf=out / "map.pdf")
                print(f"wrote {out / 'map.png'} and {out / 'map.pdf'} (one A4 landscape page)")
                report_pdf.result()  # re-raises a failure of the report's print
                print(f"wrote {out / 'report.pdf'} (A4)")
            else:
                print(f"skipped map.png, map.pdf and report.pdf: {why}")
    return 0


def _cmd_batch(args):
    from .batch import run_batch

    if args.no_worker_timeout <= 0:
        raise InputError("--no-worker-timeout", message="--no-worker-timeout must be > 0 seconds")
    summary = run_batch(args.input, args.out, chunk_rows=args.chunk_rows, dask=args.dask, scheduler=args.scheduler,
                        output_format=args.output_format, compression=args.compression,
                        on_bad_line=args.on_bad_line, no_worker_timeout_s=args.no_worker_timeout,
                        dask_min_work_s=args.dask_min_work,
                        progress=_want_progress(args), **_model_kwargs(args))
    print(summary.describe(), file=sys.stderr)
    return 0


def _cmd_scenario(args):
    from .scenario import load_scenario, show

    if args.scenario_command == "check":
        sc = load_scenario(args.file)
        s = sc["scenario"]
        print(f"{args.file}: valid scenario, hash {sc['_hash']} ({len(s['launch_areas'])} launch areas, "
              f"{len(s['baseline_areas'])} baselines; irbm {sc['irbm']['missile']}, srbm {sc['srbm']['missile']}; "
              f"{sc['uncertainty']['draws']} draws)")
        return 0
    sc = load_scenario(args.file)
    text = show(sc)
    if args.out:
        with atomic_path(args.out) as tmp:
            tmp.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_compare(args):
    from .compare import compare_scenarios, write_comparison

    if args.out:
        _need_directory(args.out, "compare")
    res = compare_scenarios(None if args.a == "paper" else args.a, None if args.b == "paper" else args.b)
    print(res.text())
    if args.out:
        write_comparison(res, args.out)
        print(f"wrote {args.out}/compare.md, compare.csv and changes.csv", file=sys.stderr)
    return 0


def _listing(df: pd.DataFrame, width: int | None = None, numbers=None, keep=()) -> str:
    """A table as text no wider than ``width`` (the terminal's, at least 60 columns; 100 when
    there is no terminal): numbers at their column's decimals (``numbers``: column -> decimals),
    the widest text columns cut with an ellipsis until the rows fit (the CSV has them whole)."""
    import shutil

    width = width or max(60, shutil.get_terminal_size((100, 24)).columns)
    numbers = numbers or {}
    cells = {}
    for c in df.columns:
        if c in numbers:
            cells[c] = ["-" if v is None or not np.isfinite(v) else f"{v:,.{numbers[c]}f}" for v in df[c]]
        else:
            cells[c] = ["-" if v is None or (isinstance(v, float) and not np.isfinite(v)) else str(v) for v in df[c]]
    w = {c: max([len(c)] + [len(x) for x in cells[c]]) for c in df.columns}
    # the first column (the key) and those in ``keep`` are never cut
    text_cols = [c for c in df.columns[1:] if c not in numbers and c not in keep]
    while sum(w.values()) + 2 * (len(w) - 1) > width and text_cols:
        c = max(text_cols, key=lambda k: w[k])
        floor = max(len(c), 8)
        if w[c] <= floor:
            text_cols.remove(c)
            continue
        w[c] -= 1

    def fit(x, c):
        x = x if len(x) <= w[c] else x[:w[c] - 1] + "\u2026"
        return x.rjust(w[c]) if c in numbers else x.ljust(w[c])
    lines = ["  ".join(fit(c, c) for c in df.columns).rstrip()]
    for i in range(len(df)):
        lines.append("  ".join(fit(cells[c][i], c) for c in df.columns).rstrip())
    return "\n".join(lines)


def _wrap(text) -> str:
    import shutil
    import textwrap

    return textwrap.fill(text, max(60, shutil.get_terminal_size((100, 24)).columns))


def _cmd_missiles(args):
    rows = []
    for key, m in load_missiles().items():
        rows.append({"missile": key, "trajectory": m.default_trajectory,
                     "min km": m.reach_min_km(), "max km": m.max_range_km, "burn s": m.value("burn_time_s"),
                     "beta kg/m2": m.value("ballistic_coefficient_kg_m2"),
                     "label (category)": m.label + (f" ({m.category})" if m.category else "")})
    df = pd.DataFrame(rows)
    print(_listing(df, numbers={"min km": 0, "max km": 0, "burn s": 0, "beta kg/m2": 0}, keep=("trajectory",)))
    print("\n" + _wrap("min/max km: the class's reach (boost footprint to maximum range); beta: ballistic "
                       "coefficient. Every parameter's source: warning_time/data/missiles.toml and data/SOURCES.md."))
    return 0


def _places_frames(kind):
    from . import places

    frames = {}
    if kind in ("launch-areas", "all"):
        a = places.load_launch_areas()
        frames["launch-areas"] = pd.DataFrame({
            "kind": "launch-area", "name": a["name"], "country_iso3": a["country_iso3"], "role": a["role"],
            "lat_deg": a.get("center_lat_deg"), "lon_deg": a.get("center_lon_deg"),
            "radius_km": a.get("radius_km"), "source": "NOTIONAL: " + a["basis"].astype(str)})
    if kind in ("targets", "all"):
        t = places.load_targets()
        frames["targets"] = pd.DataFrame({
            "kind": "target", "name": t["name"], "country_iso3": t["country_iso3"], "role": t["kind"],
            "lat_deg": t["lat_deg"], "lon_deg": t["lon_deg"], "population": t["population"], "source": t["source"]})
    if kind in ("sensors", "all"):
        s = places.load_sensors()
        src = [next((str(r[c]) for c in s.columns if c.endswith("_source") and isinstance(r[c], str) and r[c]), "")
               for _, r in s.iterrows()]
        frames["sensors"] = pd.DataFrame({
            "kind": "sensor", "name": s["sensor"], "role": s["kind"], "label": s["label"],
            "lat_deg": s.get("lat_deg"), "lon_deg": s.get("lon_deg"), "source": src})
    return frames


def _cmd_places(args):
    frames = _places_frames(args.kind)
    titles = {"launch-areas": "Launch and baseline areas (NOTIONAL: circles around publicly reported sites)",
              "targets": "Targets", "sensors": "Sensors (parameter bands and their sources: data/sensors.toml)"}
    listing = sys.stderr if args.out == "-" else None  # stdout carries only the CSV then
    for key, df in frames.items():
        print(_wrap(f"{titles[key]}: {len(df)}"), file=listing)
        print(_listing(df.drop(columns="kind"), numbers={c: d for c, d in (("lat_deg", 2), ("lon_deg", 2),
                                                                        ("radius_km", 0), ("population", 0))
                                                         if c in df}), file=listing)
        print(file=listing)
    print("Text cut with '\u2026' is whole in the CSV (-o FILE.csv).", file=listing)
    if args.out:
        with atomic_path(args.out) as tmp:
            pd.concat(frames.values(), ignore_index=True).to_csv(tmp, index=False)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _cmd_versions(args):
    import importlib.metadata as md

    print(f"warning_time {__version__}")
    for pkg in ("numpy", "numba", "pandas", "pyarrow", "pyproj", "shapely", "geopandas", "folium", "rich",
                "dask", "distributed", "scipy"):
        try:
            print(f"{pkg} {md.version(pkg)}")
        except md.PackageNotFoundError:
            print(f"{pkg} (not installed)")
    print(f"python {sys.version.split()[0]}")
    return 0


COMMANDS = {"brief": _cmd_brief, "isochrones": _cmd_isochrones, "map": _cmd_map, "report": _cmd_report, "flight": _cmd_flight, "table": _cmd_table, "batch": _cmd_batch,
            "scenario": _cmd_scenario, "compare": _cmd_compare, "missiles": _cmd_missiles, "engage": _cmd_engage,
            "places": _cmd_places, "versions": _cmd_versions}


LONG_COMMANDS = ("brief", "report", "map", "isochrones", "table", "compare")


def main(argv=None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if exc.code is not None else 0
    try:
        if args.command in LONG_COMMANDS and sys.stderr.isatty():
            from rich.console import Console

            # a spinner with elapsed time for the jobs that take more than a couple of seconds
            with Console(stderr=True).status(f"warning-time {args.command}: computing ..."):
                return COMMANDS[args.command](args)
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"warning-time: error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"warning-time: error: {exc.filename}: file not found", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    except Interrupted as exc:  # SIGINT, SIGTERM, SIGHUP (warning_time.io.interruptible)
        print(f"warning-time: interrupted ({exc.signame}); nothing written", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("warning-time: interrupted; nothing written", file=sys.stderr)
        return 130
    except UnicodeDecodeError as exc:  # a user file in another encoding
        print(f"warning-time: error: an input file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
              "save it as UTF-8", file=sys.stderr)
        return 1
    except RecursionError:  # e.g. deeply nested JSON in a user file
        print("warning-time: error: an input file is nested too deeply to read (malformed JSON?)", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. a full disk (ENOSPC) or a read-only file system (EROFS) while writing
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        text = exc.strerror or " ".join(str(exc).split())
        print(f"warning-time: error: {where}{text}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
