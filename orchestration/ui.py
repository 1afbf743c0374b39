"""`make ui`: the Dagster UI with its daemon, and the MLflow UI, started together and stopped together.

    python -m orchestration.ui [--dagster-port 3000] [--mlflow-port 5000]

Why a supervisor: `dagster dev` runs the webserver, the daemon and a gRPC code server as its children, `mlflow ui`
runs uvicorn and job consumers. Started straight from make's shell they outlived a Ctrl-C: `dagster dev`
waits up to 60 s for each child and its code server can outlive it; `mlflow ui`, started there with `&`, ignores
SIGINT (a non-interactive shell starts background commands so). Here each service runs in a session of its own, so
its process group holds it and every child it starts; a SIGINT or SIGTERM is forwarded to each whole group, whatever
is left after GRACE_SECONDS is killed, and the exit status is 0 only if nothing of either group is left. If a
service exits on its own, the other is stopped the same way and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from orchestration.config import REPO_ROOT, Settings, load_settings

GRACE_SECONDS = 5.0  # `dagster dev` stops its webserver and daemon in ~5 s when asked; what is left then is killed
KILL_WAIT_SECONDS = 5.0  # a SIGKILLed process is gone at once; this bounds the wait for the kernel to reap it
POLL_SECONDS = 0.2
HOST = "127.0.0.1"  # local only: neither UI has authentication


@dataclass
class Service:
    name: str
    url: str
    argv: list[str]
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        # start_new_session: the service leads a new session and process group (pgid == pid), out of the terminal's
        # foreground group, so only this supervisor signals it - and can reach every child it starts.
        self.process = subprocess.Popen(self.argv, cwd=REPO_ROOT, env=env, start_new_session=True)

    @property
    def pgid(self) -> int:
        return self.process.pid

    def signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.pgid, sig)
        except ProcessLookupError:  # nothing left in the group
            pass

    def members(self) -> list[psutil.Process]:
        """Live processes of the service's group; zombies are dead already (only waiting for a parent to reap)."""
        self.process.poll()  # reap the leader, so it stops counting once it has exited
        alive = []
        for proc in psutil.process_iter(["pid", "status"]):
            try:
                if proc.info["status"] != psutil.STATUS_ZOMBIE and os.getpgid(proc.pid) == self.pgid:
                    alive.append(proc)
            except (ProcessLookupError, psutil.NoSuchProcess):
                continue
        return alive


def tool(name: str) -> str:
    """The venv's own executable (the supervisor may run outside an activated venv, e.g. from make)."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def services(settings: Settings, dagster_port: int, mlflow_port: int) -> tuple[list[Service], list[str]]:
    """The services to start, and notes to print about those that are not started."""
    started = [Service("Dagster UI", f"http://{HOST}:{dagster_port}",
                       [tool("dagster"), "dev", "-w", "workspace.yaml", "-h", HOST, "-p", str(dagster_port)])]
    notes = []
    uri = settings.mlflow_tracking_uri
    store = Path(uri.removeprefix("sqlite:///")) if uri.startswith("sqlite:///") else None
    if store is not None and store.exists():
        # One uvicorn worker, not MLflow's four: one person's UI needs no more, and with several uvicorn's
        # supervisor kills a worker that does not answer its health ping within 5 s - on a busy machine, workers
        # still importing MLflow missed it and were killed and restarted in a loop that kept the machine busier.
        argv = [tool("mlflow"), "ui", "--host", HOST, "--port", str(mlflow_port), "--backend-store-uri", uri,
                "--workers", "1"]
        if "://" not in settings.mlflow_artifact_root:
            # experiments made in the UI keep their artifacts beside the others, not in ./mlartifacts of the repo
            argv += ["--artifacts-destination", settings.mlflow_artifact_root]
        started.append(Service("MLflow UI", f"http://{HOST}:{mlflow_port}", argv))
    elif store is not None:
        notes.append(f"MLflow UI:  not started - no tracking store at {store} yet (the first training makes it)")
    else:
        notes.append(f"MLflow UI:  the tracking server {uri} (MLFLOW_TRACKING_URI) - not started here")
    return started, notes


def stop(running: list[Service], sig: int, interrupted: Callable[[], bool]) -> bool:
    """Send `sig` to every group, wait up to GRACE_SECONDS for them to empty, then SIGKILL what is left (at once if
    `interrupted()` says a second Ctrl-C came). True when nothing is left."""
    for service in running:
        service.signal_group(sig)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and not interrupted() and any(s.members() for s in running):
        time.sleep(POLL_SECONDS)
    for service in running:
        left = service.members()
        if left:
            print(f"orchestration.ui: {service.name}: {len(left)} process(es) still running after the grace "
                  "period, killed", file=sys.stderr, flush=True)
            service.signal_group(signal.SIGKILL)
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while time.monotonic() < deadline and any(s.members() for s in running):
        time.sleep(POLL_SECONDS)
    survivors = {s.name: [p.pid for p in s.members()] for s in running}
    survivors = {name: pids for name, pids in survivors.items() if pids}
    if survivors:
        print(f"orchestration.ui: still running after SIGKILL: {survivors}", file=sys.stderr, flush=True)
    return not survivors


def run(dagster_port: int, mlflow_port: int) -> int:
    settings = load_settings()
    env = dict(os.environ)
    # Dagster without DAGSTER_HOME keeps its runs in a temporary directory: default to the lake's instance.
    env.setdefault("DAGSTER_HOME", str(settings.dagster_home))
    if not (Path(env["DAGSTER_HOME"]) / "dagster.yaml").exists():
        print(f"orchestration.ui: no dagster.yaml in {env['DAGSTER_HOME']} - `make instance` writes it "
              "(without it Dagster runs with its defaults)", file=sys.stderr, flush=True)
    to_start, notes = services(settings, dagster_port, mlflow_port)

    # Record signals only; the loop below acts on them (nothing complicated runs inside a signal handler).
    received: list[int] = []

    def on_signal(signum, _frame):
        received.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)

    running: list[Service] = []
    try:
        for service in to_start:
            service.start(env)
            running.append(service)
    except OSError as exc:
        print(f"orchestration.ui: cannot start {service.name}: {exc}", file=sys.stderr, flush=True)
        stop(running, signal.SIGTERM, lambda: False)
        return 1
    for service in running:
        print(f"{service.name + ':':<11} {service.url}", flush=True)
    for note in notes:
        print(note, flush=True)
    print("Ctrl-C stops everything.", flush=True)

    while True:
        if received:
            sig = received[0]
            print(f"orchestration.ui: {signal.Signals(sig).name} received, stopping "
                  f"{', '.join(s.name for s in running)}", flush=True)
            clean = stop(running, sig, lambda: len(received) > 1)
            return 0 if clean else 1
        exited = [s for s in running if s.process.poll() is not None]
        if exited:
            for service in exited:
                print(f"orchestration.ui: {service.name} exited on its own (status {service.process.returncode}); "
                      "stopping the rest", file=sys.stderr, flush=True)
            # the exited services' groups too: `dagster dev` may die and leave its webserver or daemon behind
            stop(running, signal.SIGTERM, lambda: bool(received))
            return 1
        time.sleep(POLL_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.ui", description=__doc__.split("\n\n")[0])
    settings = load_settings()
    parser.add_argument("--dagster-port", type=int, default=settings.dagster_port)
    parser.add_argument("--mlflow-port", type=int, default=settings.mlflow_port)
    args = parser.parse_args(argv)
    return run(args.dagster_port, args.mlflow_port)


if __name__ == "__main__":
    sys.exit(main())
