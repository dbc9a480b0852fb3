"""What `kzeu build` and `kzeu refresh` print while they run: a line per step and per thing a step
reports (a file landed, a dbt model built), with the time since the start; failures in one line.

A Dagster logger (`progress`, in the code location's loggers) turns the run's events into these
lines; it is used only when a run's config names it, so runs from the UI log as before. The
connectors' own log lines (which URL, which attempt, when the next try is) go to the same stream
through `connector_messages`.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from contextlib import contextmanager

import dagster as dg

# record attribute Dagster sets on every log record of a run (dagster._core.log_manager)
DAGSTER_META = "dagster_meta"
SHOWN_EVENTS = {"STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_UP_FOR_RETRY"}


def readable_step(step_key: str) -> str:
    """A suite check's step (raw__trade_flows_raw_trade_flows_suite) as 'check raw_trade_flows_suite';
    other steps (raw_trade, kzeu_dbt_models) as they are."""
    match = re.fullmatch(r"raw__(\w+)_(raw_\1_suite)", step_key)
    return f"check {match.group(2)}" if match else step_key


def step_line(event_type: str, step_key: str, elapsed_s: float, message: str = "") -> str | None:
    """One progress line for a step event; None for events that are not shown."""
    stamp, step_key = f"[{elapsed_s:6.1f} s]", readable_step(step_key)
    if event_type == "STEP_START":
        return f"{stamp} {step_key} ..."
    if event_type == "STEP_SUCCESS":
        return f"{stamp} {step_key} done"
    if event_type == "STEP_FAILURE":
        return f"{stamp} {step_key} FAILED"
    if event_type == "STEP_UP_FOR_RETRY":
        return f"{stamp} {step_key} will be retried: {message}"
    return None


def shown_message(message: str) -> bool:
    """The assets' own one-line reports (a file landed, a dbt model built); not dagster-dbt's notes,
    which quote commands and names in backticks or run over several lines."""
    return bool(message) and "\n" not in message and "`" not in message


class ProgressHandler(logging.Handler):
    """Step events, and the INFO lines the assets log (files landed, dbt models built), to a stream."""

    def __init__(self, stream=None, started: float | None = None):
        super().__init__(logging.DEBUG)  # Dagster logs step events at DEBUG
        self.stream = stream or sys.stdout
        self.started = started if started is not None else time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, DAGSTER_META, None) or {}
        event = meta.get("dagster_event")
        elapsed = time.monotonic() - self.started
        if event is not None:
            line = step_line(event.event_type_value, event.step_key or "", elapsed, meta.get("orig_message", ""))
        elif meta.get("step_key") and record.levelno >= logging.INFO and shown_message(meta.get("orig_message", "")):
            line = f"[{elapsed:6.1f} s]   {meta['orig_message']}"
        else:
            line = None
        if line:
            self.stream.write(line + "\n")
            self.stream.flush()


# Where the progress lines go: the terminal's stdout as it was when the command started (the build
# swallows what dbt echoes on stdout meanwhile); set by `progress_to`.
_STREAM: list = []


@contextmanager
def progress_to(stream):
    _STREAM.append(stream)
    try:
        yield
    finally:
        _STREAM.pop()


@dg.logger(description="Progress lines for `kzeu build` and `kzeu refresh` (used only when a run names it).")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger(f"kzeu.progress.{init_context.run_id}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.handlers = [ProgressHandler(_STREAM[-1] if _STREAM else sys.stdout)]
    return logger


def progress_run_config(quiet: bool) -> dict:
    """Run config: the progress lines, or nothing but failures (the run history keeps all)."""
    if quiet:
        return {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    return {"loggers": {"progress": {}}}


LOGGERS = {**dg.default_loggers(), "progress": progress_logger}


class ConnectorLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"[{time.strftime('%H:%M:%S')}] {record.getMessage()}"


@contextmanager
def connector_messages(stream=None):
    """The connectors' INFO and WARNING lines (requests, retries, next tries) on the stream, for a while."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(ConnectorLineFormatter())
    handler.setLevel(logging.INFO)
    connectors = logging.getLogger("pipelines.connectors")
    previous = connectors.level
    connectors.addHandler(handler)
    connectors.setLevel(logging.INFO)
    try:
        yield
    finally:
        connectors.removeHandler(handler)
        connectors.setLevel(previous)
