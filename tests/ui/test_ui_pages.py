"""`make ui` as a new user meets it: `python -m orchestration.ui` starts the Dagster UI (webserver, daemon, code
server) and the MLflow UI; headless Chromium loads their pages (the asset graph by domain, no community dialog; the
credit scorecard's registered model with its champion and description); a SIGINT stops everything within seconds.

Nothing is mocked: the real services, the real browser (Debian's `chromium`), models trained through Dagster."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import mlflow
import psutil
import pytest
from mlflow.exceptions import MlflowException

from orchestration.config import REPO_ROOT, Settings
from orchestration.model_descriptions import DESCRIPTIONS, EXPERIMENT_NOTE_TAG
from tests.small_lake import trained_models_store

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MODELS = ("credit_scorecard", "fraud_detector")
# The domains a data engineer finds on the asset graph (group names: orchestration/dbt.py and the assets').
DOMAIN_GROUPS = {"ingestion", "staging", "core", "risk", "merchants", "credit", "credit_models", "fraud",
                 "fraud_models", "marketing", "serving"}
COMMUNITY_DIALOG = "Join the Dagster community"
# s: bounds a hang, it is not a speed test. The code server loads every definition (~15 s alone), but in CI this test
# can share 2 cores with twenty serving readers and a build (tests/quality/test_faults.py): 150 s was too short there.
START_TIMEOUT = 600
HANG_S = 300  # s: only a hang hits it (a page load, a GraphQL answer), however busy the machine
STOP_TIMEOUT = 30  # s: the supervisor's grace (5 s), the kill of what is left, and room for a busy machine


def _champions(settings: Settings) -> bool:
    if not Path(settings.mlflow_tracking_uri.removeprefix("sqlite:///")).exists():
        return False  # asking MLflow would create an empty store there
    client = mlflow.MlflowClient(tracking_uri=settings.mlflow_tracking_uri, registry_uri=settings.mlflow_tracking_uri)
    try:
        return all(client.get_model_version_by_alias(name, "champion") for name in MODELS)
    except MlflowException:
        return False


@pytest.fixture(scope="module")
def model_store(credit_lake, tmp_path_factory) -> Settings:
    """The small lake's MLflow store if the model tests (tests/credit, tests/fraud, same worker, run earlier) have
    registered both models with a champion; otherwise a private store where both are trained now, through Dagster
    the way those tests do (the cheapest path: the assets that register, nothing downstream)."""
    return trained_models_store(credit_lake, tmp_path_factory.mktemp("ui_mlflow"), _champions)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("no `chromium` (or `chromium-browser`) on PATH: apt-get install -y chromium (.ci/run does)")
    return found


def _get(url: str, data: bytes | None = None, timeout: float = 60) -> bytes:
    headers = {"Content-Type": "application/json"} if data else {}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=timeout) as reply:
        return reply.read()


def _alive(processes: list[psutil.Process]) -> list[str]:
    """The processes still running (a zombie has exited: it only waits for its parent to collect its status)."""
    left = []
    for proc in processes:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
        except psutil.NoSuchProcess:
            continue
    return left


def _group_members(pgids: set[int]) -> list[psutil.Process]:
    members = []
    for proc in psutil.process_iter():
        try:
            if os.getpgid(proc.pid) in pgids:
                members.append(proc)
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return members


class Supervisor:
    """`python -m orchestration.ui` in a subprocess on free ports, with its own data dir and Dagster instance."""

    def __init__(self, tmp_path: Path, store: Settings):
        self.dagster_port, self.mlflow_port = _free_port(), _free_port()
        data_dir = tmp_path / "data"
        home = data_dir / "dagster_home"
        home.mkdir(parents=True)
        shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")  # what `make instance` does
        # An empty lake of its own: the daemon's sensors tick here and find nothing to launch (the shared small lake
        # has landing files the landing sensor would ingest); only the MLflow store is the trained one.
        self.env = {**os.environ, "LAKEHOUSE_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(home),
                    "MLFLOW_TRACKING_URI": store.mlflow_tracking_uri,
                    "MLFLOW_ARTIFACT_ROOT": store.mlflow_artifact_root}
        self.log = tmp_path / "ui.log"
        self.process: subprocess.Popen | None = None
        self.pgids: set[int] = set()
        self.descendants: list[psutil.Process] = []  # every process seen under the supervisor

    def start(self) -> None:
        with open(self.log, "wb") as log:  # a file, not a pipe: a full pipe would block the services
            self.process = subprocess.Popen(
                [sys.executable, "-m", "orchestration.ui", "--dagster-port", str(self.dagster_port),
                 "--mlflow-port", str(self.mlflow_port)],
                cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def output(self, tail: int | None = 6000) -> str:
        text = self.log.read_text(errors="replace")
        return text[-tail:] if tail else text

    def wait_until_answering(self, url: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"orchestration.ui exited ({self.process.returncode}):\n{self.output()}"
            try:
                _get(url, timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"{url} did not answer within {START_TIMEOUT} s:\n{self.output()}")

    def snapshot(self) -> None:
        """The process groups the supervisor started (each service leads its own) and every descendant now (added to
        those seen before)."""
        try:
            me = psutil.Process(self.process.pid)
            children, descendants = me.children(), me.children(recursive=True)
            self.pgids |= {os.getpgid(child.pid) for child in children}
        except (psutil.NoSuchProcess, ProcessLookupError):  # exited meanwhile: what was seen before stands
            return
        self.descendants += [p for p in descendants if p not in self.descendants]

    def watch_until_exit(self, timeout: float) -> int | None:
        """Its exit status (None if still running after `timeout`), snapshotting its processes until then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.snapshot()
            if self.process.poll() is not None:
                return self.process.returncode
            time.sleep(0.1)
        return None

    def kill_everything(self) -> None:
        """Clean-up whatever the test's outcome: no UI outlives it (psutil checks a pid was not reused)."""
        if self.process.poll() is None:
            self.snapshot()
        for proc in [*_group_members(self.pgids), *self.descendants]:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def ui(tmp_path, model_store):
    supervisor = Supervisor(tmp_path, model_store)
    supervisor.start()
    try:
        yield supervisor
    finally:
        supervisor.kill_everything()


def _dom(url: str, profile: Path) -> str:
    """The page as headless Chromium renders it after its scripts ran (the SPA's data requests included)."""
    result = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-dev-shm-usage", "--no-first-run", f"--user-data-dir={profile}",
         # virtual time runs past the community dialog's 1 s delay, so a dialog would be in the DOM
         "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=HANG_S)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _texts(dom: str) -> set[str]:
    return set(re.findall(r">([^<>]+)<", dom))


def test_make_ui_serves_both_uis_without_the_community_dialog_and_stops_cleanly_on_sigint(ui, tmp_path):
    dagster = f"http://127.0.0.1:{ui.dagster_port}"
    mlflow_ui = f"http://127.0.0.1:{ui.mlflow_port}"
    ui.wait_until_answering(f"{dagster}/server_info")
    ui.wait_until_answering(f"{mlflow_ui}/health")
    printed = ui.output(tail=None)
    assert f"Dagster UI: {dagster}" in printed and f"MLflow UI:  {mlflow_ui}" in printed

    # Dagster: the instance setting itself, then the page a new user sees (127.0.0.1 and a fresh browser profile
    # are exactly when Dagster's UI shows the dialog)
    answer = json.loads(_get(f"{dagster}/graphql", data=json.dumps({"query": "{ shouldShowNux }"}).encode()))
    assert answer == {"data": {"shouldShowNux": False}}
    graph = _dom(f"{dagster}/asset-groups", tmp_path / "chromium-dagster")
    assert DOMAIN_GROUPS <= _texts(graph), DOMAIN_GROUPS - _texts(graph)
    assert COMMUNITY_DIALOG not in graph

    # MLflow: the registered credit scorecard, its champion and the description a modeler reads first
    page = _dom(f"{mlflow_ui}/#/models/credit_scorecard", tmp_path / "chromium-mlflow")
    assert "champion" in page
    assert "30+ days past due within the first six months on book" in page
    assert "model_card.md" in page
    client = mlflow.MlflowClient(tracking_uri=ui.env["MLFLOW_TRACKING_URI"],
                                 registry_uri=ui.env["MLFLOW_TRACKING_URI"])
    for name in MODELS:  # both models and their experiments, as written at registration
        assert client.get_registered_model(name).description == DESCRIPTIONS[name].registered_model
        experiment = client.get_experiment_by_name(name)
        assert experiment.tags.get(EXPERIMENT_NOTE_TAG) == DESCRIPTIONS[name].experiment

    # Stop: every service's group holds what it started; a SIGINT leaves nothing of them running
    ui.snapshot()
    commands = " | ".join(" ".join(p.cmdline()) for p in _group_members(ui.pgids))
    for started in ("dagster_webserver", "dagster._daemon", "dagster code-server", "dagster api grpc", "mlflow ui",
                    "uvicorn"):
        assert started in commands, f"{started} not in the services' groups: {commands}"
    begun = time.monotonic()
    ui.process.send_signal(signal.SIGINT)
    try:
        code = ui.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"orchestration.ui still running {STOP_TIMEOUT} s after SIGINT:\n{ui.output()}")
    took = time.monotonic() - begun
    assert code == 0, ui.output()
    assert _alive(_group_members(ui.pgids)) == [], ui.output()
    assert _alive(ui.descendants) == [], ui.output()
    print(f"orchestration.ui stopped everything {took:.1f} s after SIGINT")


def test_when_a_service_dies_on_its_own_the_other_is_stopped_and_the_exit_status_says_so(tmp_path, model_store):
    """The MLflow port is taken: MLflow's server exits at once (with status 0 - MLflow's own), Dagster is stopped."""
    supervisor = Supervisor(tmp_path, model_store)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", supervisor.mlflow_port))
        taken.listen()
        supervisor.start()
        try:
            code = supervisor.watch_until_exit(timeout=START_TIMEOUT)
            left = _alive(_group_members(supervisor.pgids)) + _alive(supervisor.descendants)  # before the clean-up
        finally:
            supervisor.kill_everything()
    assert code is not None, f"still running with its MLflow port taken:\n{supervisor.output()}"
    assert code == 1, supervisor.output()
    assert "orchestration.ui: MLflow UI exited on its own" in supervisor.output(tail=None)
    assert len(supervisor.pgids) == 2  # both services had started
    assert left == [], supervisor.output()
