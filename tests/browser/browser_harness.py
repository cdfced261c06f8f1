"""Plumbing for driving the dashboard in a real Chromium: shared by the browser
tests and by ``bench/dashboard_scale.py``.

Why a plain module rather than fixtures only: the scale benchmark needs the
same server start, browser launch, request recording and pixel counting, and
it is not run by pytest. Nothing here imports streamlit (the app runs in a
subprocess) and nothing here reaches the network: Chromium is started with
its background services off and with a host resolver that only knows the
local machine, so a stray request fails instead of leaving the machine.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})

# Flags for Chromium as root in a container, with every background service that
# would call Google's hosts turned off. SwiftShader gives MapLibre its WebGL
# context without a GPU; the resolver rule makes any non-local name fail fast.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
)

# Generous waits: a cold first start ingests the samples and may build the
# gazetteer cache; later script runs are quick but CI has 2 shared cores.
FIRST_START_TIMEOUT_MS = 300_000
RUN_TIMEOUT_MS = 60_000

# How Streamlit tags the app root while a script run is in progress.
APP_IDLE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PLOTLY_SELECTOR = '[data-testid="stPlotlyChart"]'
# The MapLibre canvas of a plotly map subplot: its box excludes the legend,
# whose colour swatches would otherwise count as markers.
MAP_CANVAS_SELECTOR = f"{PLOTLY_SELECTOR} canvas.maplibregl-canvas"


def find_chromium() -> str | None:
    """Path of an installed Chromium (``CHROMIUM_PATH`` wins), else None."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def why_no_browser() -> str | None:
    """The reason browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if find_chromium() is None:
        return "no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)"
    return None


def free_port() -> int:
    """A TCP port nobody listens on now (a fixed port could hit another app)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_chromium(playwright):
    """Start Debian's Chromium through Playwright (no downloaded browser needed)."""
    return playwright.chromium.launch(
        executable_path=find_chromium(),
        headless=True,
        args=list(CHROMIUM_ARGS),
    )


# ---------------------------------------------------------------------------
# The Streamlit server
# ---------------------------------------------------------------------------


@dataclass
class AppServer:
    """A running ``streamlit run`` subprocess and where to reach it."""

    process: subprocess.Popen
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)  # what it was started with

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def peak_memory_bytes(self) -> int | None:
        """Peak resident memory of the server process (Linux VmHWM), or None."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return None


def streamlit_command(script: Path, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--global.developmentMode", "false",
    ]


def wait_for_health(server: AppServer, timeout: float) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``; raise with the log if not."""
    deadline = time.monotonic() + timeout
    health = f"{server.url}/_stcore/health"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit not healthy after {timeout:.0f}s:\n{server.log_tail()}")


@contextmanager
def run_streamlit(
    script: Path,
    *,
    env: dict[str, str] | None = None,
    log_path: Path,
    cwd: Path = PROJECT_ROOT,
    health_timeout: float = 60.0,
) -> Iterator[AppServer]:
    """Start ``streamlit run script`` on a free port, wait until healthy, stop after.

    ``env`` is added to this process's environment (e.g. ``INCIDENTS_DB_PATH``).
    """
    port = free_port()
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            streamlit_command(script, port),
            cwd=str(cwd),
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that stopping it also stops its children
        )
    server = AppServer(process=process, port=port, log_path=log_path, env=dict(env or {}))
    try:
        wait_for_health(server, health_timeout)
        yield server
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate the server we started (and only it), killing it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait(timeout=10)


# ---------------------------------------------------------------------------
# What the page asked for
# ---------------------------------------------------------------------------


def is_local(url: str) -> bool:
    """True for the app's own origin (loopback) and for browser-internal URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension", "devtools"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class RequestRecorder:
    """Every URL a browser context requested (pages, workers, websockets).

    Attach it before the first navigation; ``foreign()`` lists the requests to
    any host but the app's own. Foreign requests are also aborted, so that a
    test never reaches the network even on a machine that has one.
    """

    urls: list[str] = field(default_factory=list)

    def attach(self, context) -> "RequestRecorder":
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", self._watch_page)
        context.route("**/*", self._route)
        return self

    def _watch_page(self, page) -> None:
        page.on("websocket", lambda ws: self.urls.append(ws.url))

    def _route(self, route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def foreign(self) -> list[str]:
        return sorted({url for url in self.urls if not is_local(url)})


# ---------------------------------------------------------------------------
# Did the map draw?
# ---------------------------------------------------------------------------

# Colours of the base map's line and fill layers, read from the plotly figure
# the browser holds: everything drawn in them (or their anti-aliased tints) is
# background, never a marker.
MAP_LAYER_COLOURS_JS = """
(canvas) => {
  const el = canvas.closest('.js-plotly-plot');
  const layout = (el && (el._fullLayout || el.layout)) || {};
  const map = layout.map || {};
  const layers = (map.layers || []).map((l) => l.color);
  // An inline style's background (the offline map's water) is base map too.
  const style = (map.style && typeof map.style === 'object') ? map.style : {};
  const backgrounds = (style.layers || []).map((l) => l.paint && l.paint['background-color']);
  return layers.concat(backgrounds).filter((c) => typeof c === 'string');
}
"""
WHITE = (255.0, 255.0, 255.0)


def parse_colour(text: str) -> tuple[int, int, int] | None:
    """'#rgb', '#rrggbb', 'rgb(r,g,b)' or 'rgba(r,g,b,a)' as an RGB triple."""
    text = text.strip().lower()
    if text.startswith("#") and len(text) in (4, 7):
        digits = text[1:] if len(text) == 7 else "".join(ch * 2 for ch in text[1:])
        try:
            return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
        except ValueError:
            return None
    if text.startswith("rgb"):
        inside = text[text.find("(") + 1:text.rfind(")")]
        try:
            parts = [float(v) for v in inside.split(",")[:3]]
        except ValueError:
            return None
        return tuple(int(round(v)) for v in parts)  # type: ignore[return-value]
    return None


def background_colours(layer_colours) -> list[tuple[int, int, int]]:
    """Colours whose tints towards white are background: black (so every grey:
    labels, grey borders) and each base-map layer colour (coastlines, overlays)."""
    found = [(0, 0, 0)]
    for text in layer_colours:
        colour = parse_colour(text)
        if colour and colour not in found:
            found.append(colour)
    return found


def marker_pixels(png: bytes, layer_colours=(), *, separation: float = 30.0) -> int:
    """Pixels of a map screenshot that no background could have drawn.

    A pixel is background when it lies within ``separation`` of the segment
    from a background colour to white (the line itself, its anti-aliased edge,
    its fill at any opacity). What is left is marker (or marker-over-line)
    colour, whatever palette or colour scale the map uses.
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float32)
    nearest = np.full(pixels.shape[:2], np.inf, dtype=np.float32)
    white = np.asarray(WHITE, dtype=np.float32)
    for colour in background_colours(layer_colours):
        base = np.asarray(colour, dtype=np.float32)
        towards_white = white - base
        t = np.clip(((pixels - base) @ towards_white) / max(float(towards_white @ towards_white), 1e-6), 0, 1)
        closest = base + t[..., None] * towards_white
        nearest = np.minimum(nearest, np.linalg.norm(pixels - closest, axis=2))
    return int((nearest > separation).sum())


def wait_for_marker_pixels(canvas, *, minimum: int, timeout: float) -> tuple[int, bytes]:
    """Screenshot a map canvas until it shows ``minimum`` marker pixels (WebGL
    draws a moment after the element appears; base-map borders, coastlines and
    overlays never count). Returns the last count and image."""
    deadline = time.monotonic() + timeout
    while True:
        layers = canvas.evaluate(MAP_LAYER_COLOURS_JS)
        png = canvas.screenshot()
        count = marker_pixels(png, layers)
        if count >= minimum or time.monotonic() > deadline:
            return count, png
        time.sleep(0.5)


def wait_for_app_idle(page, timeout_ms: float) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector(APP_IDLE_SELECTOR, timeout=timeout_ms)


# True once the script run is over, no element is still a loading skeleton,
# and every plotly chart has drawn its SVG layer.
PAGE_DRAWN_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('[data-testid="stElementContainer"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.js-plotly-plot .main-svg')) return false;
  }
  return true;
}
"""


def wait_for_page_drawn(page, timeout_ms: float) -> None:
    """Wait until the script run is over and its elements are on screen (lazy
    chart code loads after the run ends, so idle alone is too early)."""
    page.wait_for_function(PAGE_DRAWN_JS, timeout=timeout_ms, polling=100)
