"""The benchmark script keeps working (its figures are checked by people, not by asserts)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_quick_benchmark_runs_and_reports_every_section(repo_root, tmp_path) -> None:
    """`bench.py --quick --sizes 1000 --json` runs and reports matching, scale (three FAQs), start-up and --jsonl.

    No timing is asserted: the machines are shared and noisy; the numbers are
    read from the table (see README "Speed").
    """
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "benchmarks/bench.py", "--quick", "--sizes", "1000", "--json"],
                          cwd=repo_root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout[done.stdout.index("\n{\n") + 1:])  # the JSON follows the table
    assert {"shipped", "scale", "first", "startup", "repl", "jsonl"} <= figures.keys()
    for vocabulary in ("project", "uniform", "zipf"):  # the three synthetic FAQs
        assert figures["scale"][vocabulary]["1000"]["common_queries"] > 0
    assert figures["shipped"]["speedup"] > 0
    assert figures["startup"]["json_answer"] == "answer session-length"
