"""How fast this core is against the reference core that speed targets are stated for.

The loop of ``../shared/bench/calibrate.py``, in two timings: its own (wall clock, the
minimum of 5 runs, in a child process) and the same loop timed in CPU seconds in this
process. On a machine shared with other work the wall clock counts other people's work,
so rates per CPU-second are carried to the reference core with the CPU factor:
rate on the reference core = rate here x factor.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

CALIBRATE = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "calibrate.py"
REFERENCE_SECONDS = 0.50  # calibrate.py's loop on the reference core


def cpu_factor(runs: int = 5) -> float:
    """calibrate.py's loop timed in CPU seconds: on a shared machine its wall-clock factor counts
    other people's work, and so would overstate a rate per CPU-second."""
    def loop() -> float:
        start, total = time.process_time(), 0
        for i in range(10_000_000):
            total += i
        return time.process_time() - start

    return min(loop() for _ in range(runs)) / REFERENCE_SECONDS


def core_factor() -> str:
    """calibrate.py's factor for this core (how much slower than the reference core), or '?'."""
    if not CALIBRATE.exists():
        return "?"
    done = subprocess.run([sys.executable, str(CALIBRATE)], capture_output=True, text=True)
    return done.stdout.strip() or "?"
