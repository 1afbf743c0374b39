"""Faults: a build killed at any point (kill -9) and started again ends with the same marts - in the lake and in the
serving lake - as an uninterrupted build; twenty read-only queries against the serving lake while it is published
again and again get no error and cause no publication to fail."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import textwrap

import pytest

from orchestration.config import REPO_ROOT
from tests.quality.lakes import build, kill_after, marts

pytestmark = [pytest.mark.slow, pytest.mark.integration]

KILLS = 2


def test_a_build_killed_at_random_points_and_restarted_ends_with_the_same_marts(reference_lake, tiny_landing,
                                                                                 tmp_path):
    _, duration, expected = reference_lake
    interrupted = tmp_path / "interrupted"
    shutil.copytree(tiny_landing / "landing", interrupted / "landing")

    rng = random.Random()
    kill_points = sorted(round(rng.uniform(1.0, duration * 0.95), 1) for _ in range(KILLS))
    outputs = [kill_after(interrupted, seconds) for seconds in kill_points]
    build(interrupted)
    lake, serving = marts(interrupted)
    where = f"killed after {kill_points} s of a {duration:.0f} s build; output: {[o[-200:] for o in outputs]}"
    assert lake == expected, where
    assert serving == expected, where


READERS = textwrap.dedent(
    """
    import json, sys, threading, time
    from pathlib import Path
    from orchestration.config import load_settings
    from orchestration.serving import connect_serving

    data_dir, stop_file, report_file, readers = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    THINK_S = 0.5
    settings = load_settings({"LAKEHOUSE_DATA_DIR": data_dir})
    QUERIES = [  # what business staff run: the book, a store's reconciliation, vintage curves, the day's applications
        "select scenario, loan_status, count(*), sum(outstanding_principal) from marts.fct_loans group by all",
        "select * from marts.store_reconciliation_daily where store_id = (select min(store_id) from marts.dim_stores)",
        "select origination_month, months_on_book, ever_30dpd_loan_share from marts.risk_vintage order by all",
        "select * from marts.fct_applications where application_date = "
        "(select max(application_date) from marts.fct_applications)",
        "select c.gender, f.is_target_observable, count(*) from marts.dim_customers c "
        "join marts.fct_applications a using (customer_id) "
        "left join marts.credit_features f using (application_id) group by all",
    ]
    reads, errors, lock = [0] * readers, [], threading.Lock()

    def read(number):
        while not stop_file.exists():
            try:
                with connect_serving(settings) as conn:
                    conn.execute("set threads = 1")  # one analyst's query, not the machine
                    for query in QUERIES:
                        conn.execute(query).fetchall()
                reads[number] += 1
            except Exception as exc:
                with lock:
                    errors.append(repr(exc)[:300])
            # A person looks at the answer before the next query: twenty readers in a tight loop on a 2-core
            # machine starve the build they are meant to overlap (a 45 s build took over 10 min in CI).
            time.sleep(THINK_S)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    Path(report_file).write_text(json.dumps({"reads": reads, "errors": errors[:10], "error_count": len(errors)}))
    """
)


# Publications in a row under the readers. A build's load and dbt steps write the raw lake, which serving readers
# never attach; what they meet is the publication replacing every serving table in one commit.
PUBLICATIONS = 5


def test_twenty_readers_query_the_serving_lake_while_a_build_publishes(reference_lake, tmp_path):
    data_dir, _, expected = reference_lake
    stop, report = tmp_path / "stop", tmp_path / "readers.json"
    readers = subprocess.Popen([sys.executable, "-c", READERS, str(data_dir), str(stop), str(report), "20"],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        build(data_dir, "--publish", str(PUBLICATIONS))  # every serving table replaced, again and again
    finally:
        stop.touch()
        output = readers.communicate(timeout=300)[0]  # a hang bound, not a speed test
    assert report.exists(), output[-3000:]
    result = json.loads(report.read_text())
    assert result["error_count"] == 0, result["errors"]
    assert all(reads > 0 for reads in result["reads"]), result["reads"]
    assert marts(data_dir) == (expected, expected)  # and the publications changed nothing
