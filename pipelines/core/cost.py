"""What a step cost: wall and CPU seconds, and the process's peak resident memory while it ran.

Linux keeps a process's peak resident size (VmHWM in /proc/self/status) and lets the process reset
it (`5` written to /proc/self/clear_refs): the peak is then the step's own, DuckDB's memory
included (it runs in this process). Elsewhere the peak is the process's since it started
(`ru_maxrss`), which the metadata says.
"""

from __future__ import annotations

import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Cost:
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_memory_mib: float = 0.0
    peak_is_the_steps: bool = False  # False: the process's peak since it started


def _reset_peak() -> bool:
    try:
        CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss: KiB on Linux, bytes on macOS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


@contextmanager
def measured():
    """`with measured() as cost:` fills `cost` when the block ends."""
    cost = Cost(peak_is_the_steps=_reset_peak())
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        cost.cpu_seconds = time.process_time() - cpu
        cost.peak_memory_mib = _peak_mib()
