"""The benchmark harness (`make bench SCALE=N`): stage timings, CPU, memory and rows of the whole pipeline through
Dagster, and the floors that give them meaning (raw SQL for dbt, plain Python for Dagster, one more day for the
incremental path, the bare estimator for MLflow scoring). Results in bench/results/."""
