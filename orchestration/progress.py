"""Progress a person can follow: one line per job and step as it starts and ends, a bar for the long steps.

Two halves that share one message format:
- inside an asset, `Progress` logs `progress: <done>/<total> <unit>` through the run's log (the Dagster UI shows it
  in the run's logs too);
- in a terminal, `ConsoleProgress` reads a run's log records and draws what they mean: a step started, a step
  succeeded (assets, checks, rows, seconds), a bar for a step's assets, checks or `progress:` messages, a failure
  with its error. `progress_logger` is the Dagster logger that feeds it; every record also goes to a log file.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import dagster as dg
from dagster._core.log_manager import LOG_RECORD_METADATA_ATTR

PROGRESS_MESSAGE = re.compile(r"^progress: (\d+)/(\d+) (\w+)$")
# A step planned to report one asset or check (a data-quality suite) is shown with the small steps around it on one
# line, unless it took this long: then it has a line of its own, so the slow ones stand out.
LONG_STEP_S = 5.0
# A bar only for a step with this much to count (a list's asset and its three checks would draw one in a second).
MIN_BAR_UNITS = 20
# Messages of a step are throttled to one per interval, so a long step writes tens of events, not thousands.
PROGRESS_INTERVAL_S = 1.0


def progress_message(done: int, total: int, unit: str) -> str:
    return f"progress: {done}/{total} {unit}"


def parse_progress(message: str) -> tuple[int, int, str] | None:
    match = PROGRESS_MESSAGE.match(message)
    return (int(match[1]), int(match[2]), match[3]) if match else None


class Progress:
    """Counts work done inside an asset and logs it as `progress:` messages (at most one a second, and the last)."""

    def __init__(self, log, total: int, unit: str) -> None:
        self.log, self.total, self.unit, self.done, self._logged_at = log, total, unit, 0, 0.0

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        now = time.monotonic()
        if self.done >= self.total or now - self._logged_at >= PROGRESS_INTERVAL_S:
            self._logged_at = now
            self.log.info(progress_message(min(self.done, self.total), self.total, self.unit))


def bar(done: int, total: int, width: int = 24) -> str:
    filled = width if total <= 0 else round(width * min(done, total) / total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 60 else f"{int(value // 60)} min {value % 60:02.0f} s"


@dataclass
class StepState:
    started: float
    expected: int  # assets and checks the step is planned to produce (0 when unknown)
    assets: int = 0
    checks: int = 0
    checks_failed: int = 0
    checks_warned: int = 0  # did not pass, at WARN severity: nothing downstream stops
    rows: int = 0
    reported: tuple[int, int, str] | None = None  # the step's own last `progress:` message
    shown_at: float = 0.0
    shown_quarter: int = -1
    steps: int = 1  # >1 for a group of small steps shown as one line
    elapsed: float | None = None  # a group's: the sum of its steps' durations (not the wall time since its first)


@dataclass
class ConsoleProgress:
    """Turns one run's Dagster log records into a few readable lines on `out` (a bar redrawn in place on a
    terminal, a line per quarter otherwise)."""

    job: str
    expected_by_step: dict[str, int] = field(default_factory=dict)
    out: IO[str] = sys.stdout
    steps: dict[str, StepState] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    pending: StepState | None = None  # small steps finished since the last line
    failed_checks: list[str] = field(default_factory=list)
    said: set[str] = field(default_factory=set)  # warnings already shown (four sub-scorecards say the same thing)

    @property
    def tty(self) -> bool:
        return self.out.isatty()

    def handle(self, record: logging.LogRecord) -> None:
        meta = getattr(record, LOG_RECORD_METADATA_ATTR, None) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key")
        message = meta.get("orig_message") or record.getMessage()
        if event is None:
            if step in self.steps and (reported := parse_progress(message)):
                self.steps[step].reported = reported
                self._draw(step)
            elif record.levelno >= logging.WARNING:
                self._say(f"  ! {message}" if record.levelno < logging.ERROR else f"  ! {step or self.job}: {message}")
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.steps[step] = StepState(time.monotonic(), self.expected_by_step.get(step, 0))
            if not self._small(step):
                self.flush()
                self._line(f"  > {step} ...")
        elif kind == "ASSET_MATERIALIZATION" and step in self.steps:
            state = self.steps[step]
            state.assets += 1
            metadata = event.event_specific_data.materialization.metadata
            rows = metadata.get("rows_loaded", metadata.get("dagster/row_count"))
            state.rows += int(rows.value) if rows is not None and isinstance(rows.value, int | float) else 0
            self._draw(step)
        elif kind == "ASSET_CHECK_EVALUATION" and step in self.steps:
            state, evaluation = self.steps[step], event.event_specific_data
            state.checks += 1
            if not evaluation.passed:
                if evaluation.severity == dg.AssetCheckSeverity.WARN:
                    state.checks_warned += 1
                    self._say(f"  ! {evaluation.description or step}")
                else:
                    state.checks_failed += 1
            self._draw(step)
        elif kind == "STEP_SUCCESS" and step in self.steps:
            state = self.steps[step]
            if self._small(step) and not state.reported and time.monotonic() - state.started < LONG_STEP_S:
                self._group(self.steps[step])
            else:
                self.flush()
                self._line(f"  ok {step}: {self._counts(state)}")
        elif kind == "STEP_FAILURE":
            self.flush()
            text = _root_message(event.event_specific_data.error) or message
            self.errors.append(f"{step}: {text}")
            self._line(f"  FAILED {step}: {text}")
        elif kind == "STEP_SKIPPED":
            self.flush()
            self._line(f"  skipped {step} (a step it needs failed or had nothing to produce)")

    def _small(self, step: str) -> bool:
        """A step planned to report one check or asset (a data-quality suite): shown as a group, not line by line."""
        return self.expected_by_step.get(step, 0) <= 1

    def _group(self, state: StepState) -> None:
        if self.pending is None:
            self.pending = StepState(state.started, 0, steps=0)
        self.pending.steps += 1
        self.pending.elapsed = (self.pending.elapsed or 0.0) + time.monotonic() - state.started
        self.pending.assets += state.assets
        self.pending.checks += state.checks
        self.pending.checks_failed += state.checks_failed
        self.pending.checks_warned += state.checks_warned
        if state.checks_failed:
            self.failed_checks.append(next(k for k, v in self.steps.items() if v is state))

    def flush(self) -> None:
        """Print the steps grouped since the last line: one line for a run of small steps."""
        if self.pending is None:
            return
        group, self.pending = self.pending, None
        failed = f"; failed: {', '.join(self.failed_checks)}" if group.checks_failed else ""
        self.failed_checks = []
        self._line(f"  ok {group.steps} step{'s' if group.steps > 1 else ''}: {self._counts(group)}{failed}")

    def _counts(self, state: StepState) -> str:
        parts = []
        if state.assets:
            parts.append(f"{state.assets} assets")
        if state.checks:
            issues = [f"{n} {what}" for n, what in ((state.checks_failed, "failed"), (state.checks_warned, "warned"))
                      if n]
            parts.append(f"{state.checks} checks" + (f" ({', '.join(issues)})" if issues else ""))
        if state.rows:
            parts.append(f"{state.rows:,} rows")
        parts.append(seconds(state.elapsed if state.elapsed is not None else time.monotonic() - state.started))
        return ", ".join(parts)

    def _draw(self, step: str) -> None:
        state = self.steps[step]
        if state.reported:
            done, total, unit = state.reported
        elif state.expected:
            done, total, unit = state.assets + state.checks, state.expected, "assets and checks"
        else:
            return
        if total < MIN_BAR_UNITS:
            return
        quarter = min(done, total) * 4 // total
        now = time.monotonic()
        if self.tty:
            if now - state.shown_at < 0.2 and done < total:
                return
            self.out.write(f"\r    {bar(done, total)} {done}/{total} {unit}, {seconds(now - state.started)}\x1b[K")
            self.out.flush()
        elif quarter > state.shown_quarter and 0 < quarter < 4:
            self._line(f"    {bar(done, total)} {done}/{total} {unit}, {seconds(now - state.started)}")
        state.shown_at, state.shown_quarter = now, max(quarter, state.shown_quarter)

    def _say(self, text: str) -> None:
        """A line once per run, however many steps say it."""
        if text not in self.said:
            self.said.add(text)
            self._line(text)

    def _line(self, text: str) -> None:
        self.out.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.out.flush()


def _root_message(error) -> str | None:
    """The innermost error's message (a user's exception, not Dagster's wrapper around it), on one line."""
    if error is None:
        return None
    while error.cause is not None:
        error = error.cause
    return " ".join(error.message.split())


class _Forward(logging.Handler):
    def __init__(self, console: ConsoleProgress) -> None:
        super().__init__(logging.DEBUG)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.handle(record)
        except Exception:  # a display problem must never fail the run
            self.handleError(record)


@contextmanager
def output_to(log_file: Path) -> Iterator[IO[str]]:
    """Send everything written to this process's stdout and stderr - dbt's console output, library warnings - to
    `log_file`, and yield the terminal for the readable lines. Restored on exit."""
    sys.stdout.flush()
    sys.stderr.flush()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(1), os.dup(2)
    log_fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    terminal = os.fdopen(os.dup(saved[0]), "w", buffering=1)
    log = os.fdopen(os.dup(log_fd), "w", buffering=1)
    python_streams = sys.stdout, sys.stderr
    try:
        os.dup2(log_fd, 1)  # subprocesses (dbt) and C libraries write to the descriptors
        os.dup2(log_fd, 2)
        sys.stdout = sys.stderr = log  # and Python code to whatever sys.stdout is (not always descriptor 1)
        yield terminal
    finally:
        log.flush()
        sys.stdout, sys.stderr = python_streams
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, log_fd):
            os.close(fd)
        log.close()
        terminal.close()


def file_handler(path: Path) -> logging.Handler:
    """Every record of every run, in full, for when something goes wrong (the Dagster UI has the same events)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def progress_logger(console: ConsoleProgress, log_handler: logging.Handler) -> dg.LoggerDefinition:
    """A Dagster logger writing every record to `log_handler` (a file) and the readable lines to the console."""

    @dg.logger(description="Readable progress on the console; the whole log in a file.")
    def _progress(_init_context) -> logging.Logger:
        logger = logging.Logger(f"progress.{console.job}", level=logging.DEBUG)
        logger.addHandler(log_handler)
        logger.addHandler(_Forward(console))
        return logger

    return _progress
