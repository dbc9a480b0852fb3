"""The shared benchmark harness: each mode in a fresh subprocess, on an idle machine, medians and targets.

A benchmark script calls `child_result(...)` in its `--child` branch (one JSON line on stdout) and, in
its parent, `run_modes(...)` (interleaved repeats of every mode, each after waiting for an idle
machine), then `print_runs(...)` and `print_targets(...)`. Measurements, not tests: MISSED is
printed, the exit status stays 0.

- Peak memory is the child's `VmHWM` (`/proc/self/status`), not `ru_maxrss`, which Linux carries
  over from the parent across (v)fork + exec.
- The CPU used by others during a run is the machine's busy time (`/proc/stat`, steal counted as
  busy) minus the child's own user + system time (`RUSAGE_CHILDREN`, which adds up per child).
"""

import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
IDLE_WAIT_S = 30  # wait at most this long for an idle machine before each run


def vm_kib(field: str = "VmHWM") -> int:
    """A field of this process's /proc/self/status in KiB (VmHWM: peak resident memory)."""
    return int(re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1))


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM) in MiB."""
    return vm_kib("VmHWM") / 1024


def child_result(started: float, cpu_started: float, **fields) -> None:
    """Print the child's one JSON line: wall and CPU seconds since `started` / `cpu_started`
    (time.perf_counter(), time.process_time()), peak memory, and the mode's own fields."""
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mib": peak_mib(), **fields}))


def busy_s() -> float:
    """CPU-seconds the machine spent busy since boot, all processes (steal counts as busy)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def wait_for_idle(limit_s: int = IDLE_WAIT_S) -> None:
    """Wait up to `limit_s` seconds for a second in which the machine was (almost) idle."""
    for _ in range(limit_s):
        before = busy_s()
        time.sleep(1)
        if busy_s() - before < 0.1:
            break


def run_child(script: str | Path, *args: str, env: dict | None = None) -> dict:
    """`python script --child *args` in a fresh process; its last stdout line parsed as JSON."""
    done = subprocess.run(
        [sys.executable, str(script), "--child", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=None if env is None else {**os.environ, **env},
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(script: str | Path, *args: str, env: dict | None = None, wait: bool = True) -> dict:
    """One child run after waiting for an idle machine, with the CPU others used meanwhile (`other_cpu`)."""
    if wait:
        wait_for_idle()
    before, children = busy_s(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_child(script, *args, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return {**result, "other_cpu": max(0.0, busy_s() - before - child_cpu)}


def run_modes(
    script: str | Path, modes: Sequence[str], args: Callable[[str], Sequence[str]], repeat: int, env=None
) -> dict[str, list[dict]]:
    """Every mode `repeat` times, interleaved (drift hits every mode alike); `args(mode)` gives the child's args."""
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    for _ in range(repeat):
        for mode in modes:
            runs[mode].append(measure(script, *args(mode), env=env))
    return runs


def medians(runs: dict[str, list[dict]]) -> dict[str, dict]:
    """Per mode: median seconds, cpu and other_cpu, and the max peak memory over the runs."""
    return {
        m: {
            **{k: statistics.median(r[k] for r in rs) for k in ("seconds", "cpu", "other_cpu")},
            "rss_mib": max(r["rss_mib"] for r in rs),
        }
        for m, rs in runs.items()
    }


def machine_line(*packages: str) -> str:
    """One line: cores, CPU model, RAM, OS, Python and the versions of `packages`."""
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{p} {__import__(p).__version__}" for p in packages)
    return (
        f"machine: nproc={len(os.sched_getaffinity(0))} ({cpu}, {ram:.1f} GiB RAM, {platform.platform()}); "
        f"Python {platform.python_version()}" + (f", {versions}" if versions else "")
    )


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def print_runs(runs: dict[str, list[dict]], columns: Sequence[tuple[str, str]] = ()) -> dict[str, dict]:
    """The table of medians (wall, each run, CPU, peak MiB, CPU used by others) plus `columns`
    [(header, key of the first run's result)]; warns when others used the CPUs. Returns medians(runs)."""
    med = medians(runs)
    width = max(10, *(len(m) for m in runs))
    extra = "".join(f" {h:>12}" for h, _ in columns)
    print(f"{'':{width}} {'wall s':>7} {'(each run)':>20} {'CPU s':>7} {'peak MiB':>9}{extra} {'others CPU s':>13}")
    for m, rs in runs.items():
        each = " ".join(f"{r['seconds']:.2f}" for r in rs)
        cells = "".join(f" {_fmt(rs[0].get(k)):>12}" for _, k in columns)
        print(
            f"{m:{width}} {med[m]['seconds']:7.2f} {each:>20} {med[m]['cpu']:7.2f} {med[m]['rss_mib']:9.0f}"
            f"{cells} {med[m]['other_cpu']:13.2f}"
        )
    print("medians over the runs; peak MiB: the child's VmHWM, max over the runs")
    if any(med[m]["other_cpu"] > 0.1 * med[m]["seconds"] + 0.1 for m in runs):
        print("WARNING: other processes used the CPUs during the runs: the timings are pessimistic")
    return med


OPS = {"<=": lambda v, t: v <= t, ">=": lambda v, t: v >= t, "<": lambda v, t: v < t, ">": lambda v, t: v > t}


def print_targets(checks: Sequence[tuple[str, float, str, float]]) -> list[str]:
    """Print each (name, value, op, target) with MET or MISSED; return the names missed."""
    missed = [name for name, value, op, target in checks if not OPS[op](value, target)]
    width = max(20, *(len(c[0]) for c in checks))
    print()
    for name, value, op, target in checks:
        print(f"{name:{width}} {value:9.2f}  target {op} {target:<7}  {'MISSED' if name in missed else 'MET'}")
    print(f"\nMISSED: {', '.join(missed)}" if missed else "\nall targets MET")
    return missed
