"""Measure one stage: wall time, CPU time (the harness and every process it started), peak memory (resident set of
the harness and all its descendants, sampled every 0.1 s), peak disk growth (the data filesystem's used bytes, sampled
likewise: spill files and replaced tables count while they exist), and the stage's rows in and out."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.1


@dataclass
class StageResult:
    name: str
    path: str  # dagster | plain | floor | simulator | scoring
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    # How far the data filesystem's used space grew above its level at the stage's start, at the stage's peak; and
    # the size of the bench's data dir when the stage ended (None when not measured).
    disk_peak_growth_gb: float | None = None
    data_gb: float | None = None
    rows_in: int | None = None
    rows_out: int | None = None
    ok: bool = True
    error: str | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class _PeakMemory:
    """Samples the summed resident memory of a process tree, and the used space of a filesystem, in a background
    thread."""

    def __init__(self, root: psutil.Process, disk: Path | None = None) -> None:
        self.root, self.peak, self._stop = root, 0, threading.Event()
        self.disk = disk
        self.disk_start = self.disk_peak = self._disk_used()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self) -> int:
        total = 0
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _disk_used(self) -> int:
        return shutil.disk_usage(self.disk).used if self.disk is not None else 0

    def _sample(self) -> None:
        self.peak = max(self.peak, self._tree_rss())
        self.disk_peak = max(self.disk_peak, self._disk_used())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def directory_bytes(root: Path) -> int:
    """The bytes of every file under `root` (hard links counted once)."""
    seen, total = set(), 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                stat = os.lstat(os.path.join(folder, name))
            except OSError:  # removed while walking
                continue
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def measure(name: str, path: str, work: Callable[[], object], log: Callable[[str], None] = print,
            data_dir: Path | None = None) -> StageResult:
    """Run `work` in this process (it may start subprocesses) and measure it; an exception is recorded, not raised.
    With `data_dir`, also the disk: the filesystem's peak growth during the stage and the dir's size after it."""
    log(f"[bench] {path:<9} {name} ...")
    started, cpu_before = time.perf_counter(), _cpu_seconds()
    error = None
    with _PeakMemory(psutil.Process(os.getpid()), data_dir) as memory:
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - a failed stage is a result of the benchmark
            error = f"{type(exc).__name__}: {str(exc)[-2000:]}"
    result = StageResult(
        name=name, path=path, wall_s=round(time.perf_counter() - started, 3),
        cpu_s=round(_cpu_seconds() - cpu_before, 3), peak_rss_mb=round(memory.peak / 2**20, 1),
        ok=error is None, error=error,
    )
    if data_dir is not None:
        result.disk_peak_growth_gb = round((memory.disk_peak - memory.disk_start) / 2**30, 2)
        result.data_gb = round(directory_bytes(data_dir) / 2**30, 2)
    log(f"[bench] {path:<9} {name}: {result.wall_s:.1f} s wall, {result.cpu_s:.1f} s CPU, "
        f"{result.peak_rss_mb:,.0f} MB peak"
        + ("" if data_dir is None
           else f", disk +{result.disk_peak_growth_gb:,.1f} GB at peak, data {result.data_gb:,.1f} GB")
        + ("" if result.ok else f"  FAILED {error[:300]}"))
    return result


def run_command(command: list[str], env: dict[str, str], log_file) -> None:
    """A subprocess whose output goes to the bench log; raises with the tail of its own output if it fails."""
    with open(log_file, "a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        start = out.tell()
        completed = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if completed.returncode != 0:
        with open(log_file) as out:
            out.seek(start)
            output = out.read()
        errors = [line for line in output.splitlines() if "Error" in line or "FAIL" in line]
        raise RuntimeError(f"exit {completed.returncode}: {' '.join(command[:6])} ...\n"
                           + "\n".join(errors[-10:]) + "\n" + output[-1500:])
