"""How the dashboard copes with a million incidents (issue #4's scale targets).

    python bench/dashboard_scale.py [--n 1000000] [--store PATH] [--rebuild] [--server-times]
    python bench/dashboard_scale.py --first-runs 3 [--app PATH]

Builds the synthetic store with ``bench/make_store.py`` when it is missing,
starts ``streamlit run app.py`` against it, opens it in Debian's Chromium
(Playwright) and prints:

- open -> drawn: seconds from opening the page on the freshly started app until
  the map shows markers and the timeline is drawn (target <= 5 s);
- filter change: server time of a rerun after clicking a date preset, measured
  from the browser's websocket request to the last answer frame before the app
  is idle again (target <= 1 s);
- map data: size of the map figure as sent (typed arrays counted base64-encoded,
  the rest as JSON), and all websocket bytes the first load received, as an
  upper bound (target <= 5 MB);
- peak memory: the server process's VmHWM from /proc (target < 2 GB);
- with ``--server-times``: each script run's duration on the server's clock
  (the app runs unchanged inside a wrapper that logs it), which splits the
  open time into server and browser work.

``--first-runs N`` skips the browser: it times the first script run N times,
each in a fresh interpreter (Streamlit's AppTest, no profiler attached, which
would slow the pure-Python parts several times). Quick and repeatable enough to
compare two versions of the app (``--app other_checkout/app.py``).

Figures are printed, never asserted; on 2 shared cores they are noisy, so run
it when the machine is quiet and say so when quoting them. The app's own log
is written beside the store (``<store>.streamlit.log``).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "tests" / "browser"))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from browser_harness import (  # noqa: E402
    APP_IDLE_SELECTOR,
    MAP_CANVAS_SELECTOR,
    PLOTLY_SELECTOR,
    RequestRecorder,
    launch_chromium,
    run_streamlit,
    wait_for_marker_pixels,
    why_no_browser,
)
from make_store import DEFAULT_N, build_store, default_path, remove_store  # noqa: E402

# Any chart that is not the map counts as the timeline being drawn.
CHART_SELECTORS = (
    f"{PLOTLY_SELECTOR}:not(:has(canvas.maplibregl-canvas))",
    '[data-testid="stVegaLiteChart"]',
    '[data-testid="stArrowVegaLiteChart"]',
)
MIN_MARKER_PIXELS = 200
PRESET_LABELS = ("Last 30 days", "Last 90 days", "Last 7 days")

TARGETS = {"open_s": 5.0, "filter_s": 1.0, "map_mb": 5.0, "peak_gb": 2.0, "open_ratio": 1.3, "filter_ratio": 2.0}

# Size of every plotly map figure on the page as it travelled: typed arrays
# (plotly sends NumPy columns base64-encoded) at 4/3 of their bytes, everything
# else at its JSON length.
FIGURE_SIZE_JS = """
() => {
  const size = (value) => {
    if (value === null || value === undefined) return 4;
    if (ArrayBuffer.isView(value)) return Math.ceil(value.byteLength / 3) * 4;
    if (Array.isArray(value)) return value.reduce((n, v) => n + size(v) + 1, 2);
    if (typeof value === 'object') {
      let n = 2;
      for (const [k, v] of Object.entries(value)) {
        if (k.startsWith('_')) continue;
        n += k.length + 3 + size(v) + 1;
      }
      return n;
    }
    return JSON.stringify(value).length;
  };
  const out = [];
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    if (!el.querySelector('canvas.maplibregl-canvas')) continue;
    const traces = (el.data || []).map((t) => {
      const copy = {};
      for (const [k, v] of Object.entries(t)) if (!k.startsWith('_')) copy[k] = v;
      return copy;
    });
    const layout = {};
    for (const [k, v] of Object.entries(el.layout || {})) if (!k.startsWith('_')) layout[k] = v;
    out.push({traces: size(traces), layout: size(layout),
              points: (el._fullData || []).reduce((n, t) => n + ((t.lat && t.lat.length) || 0), 0)});
  }
  return out;
}
"""


# Logs every websocket message on the browser's own clock (ms since the page's
# navigation started), so phases are timed where they happen, not when
# Playwright gets round to telling Python.
FRAME_LOG_JS = """
(() => {
  const Native = window.WebSocket;
  const size = (d) => (d && (d.byteLength ?? d.size ?? d.length)) || 0;
  window.__frames = [];
  class Logged extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => window.__frames.push([performance.now(), 'in', size(e.data)]));
    }
    send(data) {
      window.__frames.push([performance.now(), 'out', size(data)]);
      return super.send(data);
    }
  }
  window.WebSocket = Logged;

  // When each plotly chart finished drawing: [ms, is the map].
  window.__afterplot = [];
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('.js-plotly-plot')) {
      if (el.__timed || typeof el.on !== 'function') continue;
      el.__timed = true;
      el.on('plotly_afterplot', () => window.__afterplot.push(
        [performance.now(), !!el.querySelector('canvas.maplibregl-canvas')]));
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


@dataclass
class Frames:
    """A snapshot of the page's websocket log: (ms, direction, bytes) per message."""

    rows: list[tuple[float, str, int]] = field(default_factory=list)
    now_ms: float = 0.0

    @classmethod
    def read(cls, page) -> "Frames":
        rows, now = page.evaluate("() => [window.__frames || [], performance.now()]")
        return cls([tuple(r) for r in rows], now)

    def received(self, after_ms: float = -1.0) -> list[tuple[float, int]]:
        return [(t, n) for t, d, n in self.rows if d == "in" and t > after_ms]

    def sent(self, after_ms: float = -1.0) -> list[float]:
        return [t for t, d, _ in self.rows if d == "out" and t > after_ms]


def ensure_store(n: int, path: Path, rebuild: bool) -> None:
    if path.exists() and not rebuild:
        print(f"store: {path} (reused; --rebuild to regenerate)")
        return
    remove_store(path)
    print(f"store: building {n:,} incidents into {path} ...", flush=True)
    timings = build_store(n, path)
    print(f"store: generated in {timings['generate_s']:.1f} s, bulk_load {timings['load_s']:.1f} s")


def wait_for_timeline(page, timeout_ms: float) -> None:
    page.wait_for_selector(", ".join(CHART_SELECTORS), timeout=timeout_ms)


def wait_for_rerun(page, after_ms: float, quiet_ms: float, timeout_s: float) -> Frames:
    """Wait until the browser asked for a rerun after ``after_ms``, the app is idle
    and no message arrived for ``quiet_ms``; return the log at that point."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        page.wait_for_timeout(100)
        frames = Frames.read(page)
        answers = frames.received(after_ms)
        if not frames.sent(after_ms) or not answers:
            continue
        idle = page.locator(APP_IDLE_SELECTOR).count() > 0
        if idle and frames.now_ms - answers[-1][0] >= quiet_ms:
            return frames
    raise TimeoutError("the app did not finish the rerun")


def measure_filter_change(page) -> tuple[str, float] | None:
    """Click a date preset; return its label and the server time of the rerun:
    from the browser's request to the server's last answer, on the browser clock."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    for label in PRESET_LABELS:
        target = sidebar.get_by_text(label, exact=True)
        if target.count() == 0:
            continue
        before = Frames.read(page).now_ms
        target.first.click()
        frames = wait_for_rerun(page, before, quiet_ms=500, timeout_s=60)
        asked = frames.sent(before)[0]
        answers = frames.received(asked)
        if not answers:
            return None
        return label, (answers[-1][0] - asked) / 1000
    return None


def open_and_time(page, url: str) -> dict[str, float]:
    """Open the dashboard; seconds (browser clock, from navigation start) until the
    page's code ran, the server's first and last message, and map + timeline drawn."""
    page.goto(url)
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    page.wait_for_selector(MAP_CANVAS_SELECTOR, timeout=180_000)
    count, _png = wait_for_marker_pixels(
        page.locator(MAP_CANVAS_SELECTOR).first, minimum=MIN_MARKER_PIXELS, timeout=120
    )
    wait_for_timeline(page, 180_000)
    frames = Frames.read(page)
    received = frames.received()
    # Drawn = both the map and another chart have finished their first plot
    # (plotly's own event); the pixel check above proved the markers show.
    # Without the events (an older plotly), the time we noticed is the bound.
    plots = page.evaluate("() => window.__afterplot || []")
    first_map = min((t for t, is_map in plots if is_map), default=None)
    first_other = min((t for t, is_map in plots if not is_map), default=None)
    drawn_ms = max(first_map, first_other) if first_map and first_other else frames.now_ms
    nan = float("nan")
    return {
        "loaded": loaded / 1000,
        "first_message": (received[0][0] / 1000) if received else float("nan"),
        "last_message": (received[-1][0] / 1000) if received else float("nan"),
        "drawn": drawn_ms / 1000,
        "map_drawn": first_map / 1000 if first_map else nan,
        "other_drawn": first_other / 1000 if first_other else nan,
        "noticed": frames.now_ms / 1000,
        "marker_px": count,
        "bytes": sum(n for _, n in received),
    }


def _phases(timing: dict[str, float]) -> str:
    return (f"page code loaded {timing['loaded']:.2f} s, first server message {timing['first_message']:.2f} s, "
            f"last server message {timing['last_message']:.2f} s, timeline drawn {timing['other_drawn']:.2f} s, "
            f"map drawn {timing['map_drawn']:.2f} s (pixel check done {timing['noticed']:.2f} s)")


def _find_widget(at, key: str):
    for kind in ("radio", "selectbox", "segmented_control", "pills"):
        try:
            return getattr(at, kind)(key=key)
        except (KeyError, AttributeError):
            continue
    return None


def profile_script_runs(store: Path, app: Path, top: int) -> int:
    """Where the server's time goes: the first script run and a preset change,
    run in-process by Streamlit's AppTest and profiled in the script thread."""
    import cProfile
    import os
    import pstats
    import threading

    from streamlit.testing.v1 import AppTest

    os.environ["INCIDENTS_DB_PATH"] = str(store)
    profilers: list[cProfile.Profile] = []

    def start_profiler(*_args) -> None:  # runs once in each new thread
        sys.setprofile(None)
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()

    def report(title: str, seconds: float) -> None:
        print(f"\n== {title}: {seconds:.2f} s (AppTest, in-process) ==")
        found = [p for p in profilers if p.getstats()]
        for p in found:
            p.disable()
        if found:
            stats = pstats.Stats(*found)
            stats.sort_stats("cumulative").print_stats(r"incidents/|pandas/core/(frame|groupby)|plotly/basedatatypes", top)
        profilers.clear()

    at = AppTest.from_file(str(app), default_timeout=600)
    threading.setprofile(start_profiler)
    started = time.perf_counter()
    at.run()
    report("first script run", time.perf_counter() - started)
    widget = _find_widget(at, "f_preset")
    if widget is None:
        print("no f_preset widget found: filter change not profiled")
        return 0
    widget.set_value("30d")
    started = time.perf_counter()
    at.run()
    report("rerun after choosing the last 30 days", time.perf_counter() - started)

    second = AppTest.from_file(str(app), default_timeout=600)
    started = time.perf_counter()
    second.run()
    report("a second session's first run (server caches warm)", time.perf_counter() - started)
    threading.setprofile(None)
    return 0


# One first script run in a fresh interpreter, no profiler attached (cProfile slows
# pure-Python work several times, and the app's read-ahead threads with it).
FIRST_RUN_CODE = """
import os, sys, time
from streamlit.testing.v1 import AppTest
os.environ["INCIDENTS_DB_PATH"] = sys.argv[1]
at = AppTest.from_file(sys.argv[2], default_timeout=600)
started = time.perf_counter()
at.run()
first = time.perf_counter() - started
assert not at.exception, at.exception
print(f"{first:.3f}")
"""


def time_first_runs(store: Path, app: Path, runs: int) -> int:
    """Wall time of the first script run, each in a freshly started interpreter (AppTest)."""
    import subprocess

    seconds = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", FIRST_RUN_CODE, str(store), str(app)], cwd=app.parent,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-2000:])
            return 1
        seconds.append(float(done.stdout.strip().splitlines()[-1]))
    print(f"first script run on a fresh interpreter (AppTest, no profiler), {runs} runs: "
          + ", ".join(f"{s:.2f}" for s in seconds) + f" s (min {min(seconds):.2f}, max {max(seconds):.2f})")
    return 0


# A trivial app with the same elements (offline map, a plotly chart, a preset
# radio): what this machine's browser and Streamlit cost before any of our data.
BASELINE_APP = """
import pandas as pd, plotly.express as px, streamlit as st
frame = pd.DataFrame({"lat": [40.0, 40.2, 40.4, 39.9] * 60, "lon": [45.0, 45.3, 45.1, 44.8] * 60,
                      "kind": ["a", "b", "c", "a"] * 60, "day": pd.date_range("2026-01-01", periods=240)})
st.sidebar.radio("Period", ["All", "Last 30 days"])
fig = px.scatter_map(frame, lat="lat", lon="lon", color="kind", zoom=6, center={"lat": 40.1, "lon": 45.0},
                     map_style="white-bg")
fig.update_traces(marker={"size": 25})
st.plotly_chart(fig)
st.plotly_chart(px.histogram(frame, x="day", color="kind"))
"""


# Runs the app unchanged and logs how long each script run took on the server's
# own clock: the browser stamps websocket messages when its main thread gets to
# them, which lags while it draws, so "last server message" overstates the server.
TIMED_APP = """
import runpy, sys, time
sys.path.insert(0, {folder!r})
started = time.perf_counter()
try:
    runpy.run_path({script!r}, run_name="__main__")
finally:
    print(f"{marker} {{time.perf_counter() - started:.3f}}", file=sys.stderr, flush=True)
"""
TIMED_MARKER = "dashboard_scale: script run seconds"


def timed_app(app: Path, folder: Path) -> Path:
    """A wrapper script around ``app`` that logs each script run's duration."""
    wrapper = folder / f"timed_{app.name}"
    wrapper.write_text(TIMED_APP.format(folder=str(app.parent), script=str(app), marker=TIMED_MARKER),
                       encoding="utf-8")
    return wrapper


def script_run_seconds(log: Path) -> list[float]:
    """Durations the wrapper logged, in order."""
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(TIMED_MARKER):
            found.append(float(line.rsplit(" ", 1)[1]))
    return found


def measure_app(app: Path, env: dict[str, str], log: Path) -> dict:
    """Start ``app``, open it twice in Chromium, change a preset; return the figures."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with run_streamlit(app, env=env, log_path=log, health_timeout=120) as server, \
            sync_playwright() as manager:
        healthy = time.perf_counter() - started
        browser = launch_chromium(manager)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(180_000)
        recorder = RequestRecorder().attach(context)
        context.add_init_script(FRAME_LOG_JS)
        page = context.new_page()

        first = open_and_time(page, server.url)
        page.wait_for_selector(APP_IDLE_SELECTOR, timeout=180_000)
        figures = page.evaluate(FIGURE_SIZE_JS)
        page.wait_for_timeout(1000)
        change = measure_filter_change(page)

        # A second visitor: the server's caches are warm, the browser's are not.
        second = open_and_time(context.new_page(), server.url)
        peak = server.peak_memory_bytes()
        browser.close()
    return {"healthy": healthy, "port": server.port, "first": first, "second": second, "change": change,
            "figures": figures, "peak": peak, "foreign": recorder.foreign()}


def measure_baseline() -> dict:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dashboard-baseline-") as folder:
        script = Path(folder) / "baseline_app.py"
        script.write_text(BASELINE_APP, encoding="utf-8")
        return measure_app(script, {}, Path(folder) / "streamlit.log")


def run(n: int, store: Path, rebuild: bool, app: Path, baseline: bool, server_times: bool = False) -> int:
    reason = why_no_browser()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    ensure_store(n, store, rebuild)
    if baseline:
        base = measure_baseline()
        print(f"baseline (trivial map + chart app, same machine and browser): open -> drawn "
              f"{base['first']['drawn']:.2f} s, second visitor {base['second']['drawn']:.2f} s, "
              f"filter change {base['change'][1] if base['change'] else float('nan'):.2f} s")
        print(f"  phases: {_phases(base['first'])}")

    log = store.with_name(store.name + ".streamlit.log")
    if server_times:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="dashboard-timed-") as folder:
            result = measure_app(timed_app(app, Path(folder)), {"INCIDENTS_DB_PATH": str(store)}, log)
    else:
        result = measure_app(app, {"INCIDENTS_DB_PATH": str(store)}, log)
    first, second, change, peak = result["first"], result["second"], result["change"], result["peak"]
    print(f"server: healthy after {result['healthy']:.1f} s (port {result['port']})")
    count = first["marker_px"]
    if count < MIN_MARKER_PIXELS:
        print(f"open -> map: NO MARKERS SEEN ({count} marker px) within the wait; time not meaningful")
    print(f"open -> map ({count} marker px) and timeline drawn: {first['drawn']:.2f} s "
          f"(target <= {TARGETS['open_s']:.0f} s)")
    print(f"  phases: {_phases(first)}")
    print(f"second visitor, same server (warm caches) -> drawn: {second['drawn']:.2f} s")
    print(f"  phases: {_phases(second)}")
    if change:
        print(f"filter change ('{change[0]}'): {change[1]:.2f} s server time "
              f"(target <= {TARGETS['filter_s']:.0f} s)")
    else:
        print("filter change: no date preset found in the sidebar; not measured")
    for index, figure in enumerate(result["figures"]):
        total = (figure["traces"] + figure["layout"]) / 1e6
        print(f"map data (figure {index}): {total:.2f} MB = traces {figure['traces'] / 1e6:.2f} MB "
              f"({figure['points']:,} points) + layout/base map {figure['layout'] / 1e6:.2f} MB "
              f"(target <= {TARGETS['map_mb']:.0f} MB)")
    print(f"websocket bytes received during first load (all elements): {first['bytes'] / 1e6:.2f} MB")
    if peak is not None:
        print(f"peak server memory (VmHWM): {peak / 2**30:.2f} GiB (target < {TARGETS['peak_gb']:.0f} GB)")
    if server_times:
        runs = script_run_seconds(log)
        print("server script runs (server clock; first visitor, filter change, second visitor, in order): "
              + (", ".join(f"{t:.2f} s" for t in runs) or "none logged"))
    foreign = result["foreign"]
    print(f"requests to other hosts: {len(foreign)}" + (f" {foreign[:5]}" if foreign else ""))
    if baseline:
        ratio_open = first["drawn"] / base["first"]["drawn"]
        print(f"against the trivial app of this run: open {ratio_open:.2f}x (target <= {TARGETS['open_ratio']}x)"
              + (f", filter change {change[1] / base['change'][1]:.2f}x (target <= {TARGETS['filter_ratio']}x)"
                 if change and base["change"] else ""))
    print_stage_times(store)
    return 0


def print_stage_times(store: Path) -> None:
    """Where the server's time goes: each step of the dashboard's work on the million rows, timed
    in this process (no Streamlit, no browser), for the default view and for "last 30 days"."""

    from incidents.views import basemap, filters
    from incidents.views import map_chart
    from incidents.views import timeline_chart
    from incidents.config import load_settings
    from incidents.ui import data
    from incidents.views import map_labels
    import plotly.io as pio

    settings = load_settings()
    settings.db_path = str(store)
    steps: list[tuple[str, float]] = []

    def timed(name, work, *args, **kwargs):
        started = time.perf_counter()
        result = work(*args, **kwargs)
        steps.append((name, time.perf_counter() - started))
        return result

    frame = timed("read the view frame (snapshot -> categoricals, place codes)", data.read_view_frame, settings)
    timed("widget values (known_values, region_countries)", filters.known_values, frame)
    newest = filters.newest_date(frame)
    towns = timed("map: town names table", map_labels.load_towns, settings)
    layers = timed("map: base layers (land, borders; once per data version)",
                   lambda: basemap.base_layers(map_chart.data_box(frame), basemap.load_overlays()[0]))
    for label, spec in (("default view", filters.FilterSpec()), ("last 30 days", filters.FilterSpec(preset="30d"))):
        view = timed(f"{label}: filter", filters.apply, frame, spec, newest)
        timed(f"{label}: headline (+ previous period)", lambda v: (filters.headline(v), filters.headline(
            filters.previous_period(frame, spec, newest))), view)
        fig, mode = timed(f"{label}: map figure (markers, names)", map_chart.incident_map, view, towns=towns,
                          layers=layers)
        timed(f"{label}: map figure as sent (to_dict, to_json)", lambda f: pio.to_json(f.to_dict(), validate=False),
              fig)
        frequency = timeline_chart.auto_frequency(view)
        timed(f"{label}: timeline figure ({frequency})", timeline_chart.timeline, view, frequency)
    print("where the server's time goes (this process, no browser; seconds):")
    for name, seconds in steps:
        print(f"  {seconds:6.3f}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="incidents in the store")
    parser.add_argument("--store", type=Path, help="store file (default bench/out/store_<N>.db)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the store first")
    parser.add_argument("--app", type=Path, default=PROJECT_ROOT / "app.py",
                        help="Streamlit script to measure (default: the dashboard)")
    parser.add_argument("--profile", action="store_true",
                        help="instead of the browser run, profile the script runs in-process (where time goes)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the trivial app measured first for the machine's own cost")
    parser.add_argument("--server-times", action="store_true",
                        help="run the app through a wrapper that logs each script run's server time")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    parser.add_argument("--stages", action="store_true",
                        help="only the per-step server times (no browser), as printed after a full run")
    parser.add_argument("--first-runs", type=int, default=0, metavar="N",
                        help="instead of the browser run, time the first script run N times, each in a fresh "
                             "interpreter without a profiler (AppTest)")
    args = parser.parse_args(argv)
    if args.profile:
        store = args.store or default_path(args.n)
        ensure_store(args.n, store, args.rebuild)
        return profile_script_runs(store, args.app.resolve(), args.top)
    if args.stages:
        store = args.store or default_path(args.n)
        ensure_store(args.n, store, args.rebuild)
        print_stage_times(store)
        return 0
    if args.first_runs:
        store = args.store or default_path(args.n)
        ensure_store(args.n, store, args.rebuild)
        return time_first_runs(store, args.app.resolve(), args.first_runs)
    return run(args.n, args.store or default_path(args.n), args.rebuild, args.app.resolve(),
               baseline=not args.no_baseline, server_times=args.server_times)


if __name__ == "__main__":
    sys.exit(main())
