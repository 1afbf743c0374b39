"""The landing-zone sensor requests each delivery once; its runs load through Dagster exactly once."""

from __future__ import annotations

import os

import dagster as dg

from orchestration.defs.ingestion.assets import INGESTION_OP, raw_landing_files
from orchestration.defs.ingestion.sensors import landing_zone_sensor
from tests.ingestion.test_loader import CALLBACKS_HEADER, GOOD_ROWS, _land, _query


def _tick(instance, lakehouse, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"lakehouse": lakehouse})
    return landing_zone_sensor(context)


def _run(request: dg.RunRequest, instance, lakehouse) -> dg.ExecuteInJobResult:
    return dg.materialize(
        [raw_landing_files],
        selection=request.asset_selection,
        run_config=request.run_config,
        tags=request.tags,
        instance=instance,
        resources={"lakehouse": lakehouse},
    )


def test_sensor_requests_new_files_once_and_skips_when_nothing_is_new(settings, lakehouse):
    _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    _land(settings, "operations", "2025-01-04", "complaints.csv", "complaint_id,merchant_id\n")
    with dg.instance_for_test() as instance:
        first = _tick(instance, lakehouse)
        assert len(first.run_requests) == 1
        request = first.run_requests[0]
        assert request.run_config["ops"][INGESTION_OP]["config"] == {"first_day": "2025-01-02",
                                                                     "last_day": "2025-01-04"}
        assert set(request.asset_selection) == {
            dg.AssetKey(["raw", "operations__callbacks"]),
            dg.AssetKey(["raw", "operations__complaints"]),
        }
        second = _tick(instance, lakehouse, first.cursor)
        assert isinstance(second, dg.SkipReason)


def test_a_file_seen_twice_is_loaded_once(settings, lakehouse):
    path = _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    with dg.instance_for_test() as instance:
        first = _tick(instance, lakehouse)
        assert _run(first.run_requests[0], instance, lakehouse).success
        # The same file delivered again: a newer mtime makes the sensor look again, the content hash finds
        # nothing new, so no run is launched and nothing is loaded twice.
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        again = _tick(instance, lakehouse, first.cursor)
        assert again.run_requests == []
        # Even when a run is forced over the same file, the loader loads nothing twice.
        result = _run(first.run_requests[0], instance, lakehouse)
        assert result.success
        [materialization] = result.asset_materializations_for_node("raw_landing_files")
        metadata = materialization.metadata
        assert metadata["files_unchanged"].value == 1 and metadata["rows_loaded"].value == 0
        # one materialization per table and load, naming the landing days it covered (no per-day partitions)
        assert materialization.partition is None and metadata["landing_days"].value == "2025-01-02 .. 2025-01-02"
        assert _query(lakehouse, "select count(*) from raw.operations__callbacks") == [(2,)]


def test_a_malformed_file_is_quarantined_while_good_files_of_the_same_tick_load(settings, lakehouse):
    _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    _land(settings, "operations", "2025-01-02", "complaints.csv", b"complaint_id,merchant_id\n\xff\xfe\n")
    with dg.instance_for_test() as instance:
        request = _tick(instance, lakehouse).run_requests[0]
        result = _run(request, instance, lakehouse)
        assert result.success
        checks = {e.asset_key.path[-1]: e.passed for e in result.get_asset_check_evaluations()}
        assert checks == {"operations__callbacks": True, "operations__complaints": False}
    assert _query(lakehouse, "select count(*) from raw.operations__callbacks") == [(2,)]
    assert _query(lakehouse, "select source_file, scope from raw._quarantine") == [
        ("operations/2025-01-02/complaints.csv", "file")
    ]


def test_files_a_build_already_loaded_launch_no_run(settings, lakehouse):
    _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    with dg.instance_for_test() as instance:
        # Loaded outside the sensor (as `make run` does), then the daemon starts with an empty cursor.
        assert _run(_tick(instance, lakehouse).run_requests[0], instance, lakehouse).success
        result = _tick(instance, lakehouse)
        assert result.run_requests == [] and "already loaded" in result.skip_reason.skip_message
        _land(settings, "operations", "2025-01-03", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS.replace("CB", "CX"))
        assert {str(k) for k in _tick(instance, lakehouse, result.cursor).run_requests[0].asset_selection} == {
            'AssetKey([\'raw\', \'operations__callbacks\'])'
        }
