#!/usr/bin/python3
"""10,000 tessel.evaluate calls on one layer (the bundled default) from Python, against the C++
rate of the same work (bench/api_eval_bench.cc: check + evaluate + the CLI's JSON object).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_eval.py build/bench/api_eval_bench

Prints both rates and their ratio; README's performance table quotes them. Rates are per CPU
second on both sides (Google Benchmark's items_per_second is; time.process_time here), so a
loaded machine slows both alike; the wall-clock rate is printed too.
"""
import json
import subprocess
import sys
import time

import tessel

CALLS = 10_000


def python_rates(calls):
    """(calls per CPU second, calls per wall second), best of 3 runs of `calls` calls."""
    inputs = tessel.load()
    tessel.evaluate(inputs)  # warm up
    cpu = wall = 0.0
    for _ in range(3):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for _ in range(calls):
            tessel.evaluate(inputs)
        cpu = max(cpu, calls / (time.process_time() - start_cpu))
        wall = max(wall, calls / (time.perf_counter() - start_wall))
    return cpu, wall


def cpp_rates(binary):
    out = subprocess.run([binary, "--benchmark_format=json", "--benchmark_repetitions=3",
                          "--benchmark_report_aggregates_only=true"],
                         capture_output=True, text=True, check=True).stdout
    rates = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            rates[b["run_name"]] = b["items_per_second"]
    return rates


def main():
    py, wall = python_rates(CALLS)
    print(f"python tessel.evaluate: {py:,.0f} calls per CPU s ({wall:,.0f} per wall s; "
          f"{CALLS} calls, best of 3)")
    if len(sys.argv) > 1:
        rates = cpp_rates(sys.argv[1])
        ref = rates["BM_ApiEvaluateJson"]
        print(f"C++ api::EvaluateInputs + EvalJson: {ref:,.0f} /s -> Python at "
              f"{100 * py / ref:.0f}% of it")
        print(f"C++ Evaluate alone: {rates['BM_Evaluate']:,.0f} /s -> Python at "
              f"{100 * py / rates['BM_Evaluate']:.0f}% of it")


if __name__ == "__main__":
    main()
