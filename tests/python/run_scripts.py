"""Runs several exported scripts in one Python process (importing torch once costs seconds here).

Usage: /usr/bin/python3 tests/python/run_scripts.py <jobs.json>
jobs.json: [{"script": path, "argv": [...], "out": path}, ...]; each script runs as __main__ with
sys.argv = [script] + argv, and what it prints on stdout goes to `out`.
"""
import contextlib
import io
import json
import runpy
import sys

with open(sys.argv[1]) as f:
    jobs = json.load(f)
for job in jobs:
    sys.argv = [job["script"]] + job.get("argv", [])
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        runpy.run_path(job["script"], run_name="__main__")
    with open(job["out"], "w") as f:
        f.write(buffer.getvalue())
