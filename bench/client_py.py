#!/usr/bin/env python3
"""The official Python SDK (alibabacloud-ecs20140526) doing what bench-driver does, against the same emulator.

Usage:
  client_py.py describe ENDPOINT INSTANCE CONCURRENCY REQUESTS MAX_SECONDS [WARMUP]
  client_py.py fanout ENDPOINT ID_PREFIX COUNT PER_CALL CONCURRENCY MAX_SECONDS

ENDPOINT is the emulator's `http://127.0.0.1:PORT`; the key comes from BENCH_ACCESS_KEY_ID / BENCH_ACCESS_KEY_SECRET.
Concurrency uses threads (one SDK client per thread). CPU is this process's user+sys time (getrusage) over the timed
part only; peak memory is ru_maxrss. Prints one JSON object.
"""

import json
import os
import queue
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from darabonba.runtime import RuntimeOptions

REGION = "cn-hangzhou"
# bound of one paging round (a page holds 50 results: far more than the 100 instances of one invocation)
MAX_PAGES = 100
# the per-instance statuses ecs-client treats as final (InstanceInvocationStatus::is_terminal)
TERMINAL = {"Success", "Failed", "Error", "Timeout", "Cancelled", "Terminated", "Invalid", "Aborted"}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def percentile(sorted_values, p):
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1)))]


def make_client(endpoint):
    url = urlparse(endpoint)
    config = open_api_models.Config(
        access_key_id=os.environ["BENCH_ACCESS_KEY_ID"],
        access_key_secret=os.environ["BENCH_ACCESS_KEY_SECRET"],
        region_id=REGION,
        endpoint=url.netloc,
        protocol=url.scheme,
    )
    return EcsClient(config)


def runtime():
    # no retries, so that one call is one request counted (as on the Rust side)
    return RuntimeOptions(autoretry=False, max_attempts=1)


def run_command(client, instance_ids, script):
    request = ecs_models.RunCommandRequest(
        region_id=REGION, instance_id=list(instance_ids), type="RunShellScript", command_content=script,
        content_encoding="PlainText", username="user01")
    invoke_id = client.run_command_with_options(request, runtime()).body.invoke_id
    if not invoke_id:
        raise RuntimeError("RunCommand returned no InvokeId")
    return invoke_id


def describe_all(client, invoke_id, counter):
    """Every page of DescribeInvocationResults for `invoke_id` (MaxResults 50, NextToken), plain-text output."""
    results, token = [], None
    for _ in range(MAX_PAGES):
        request = ecs_models.DescribeInvocationResultsRequest(
            region_id=REGION, invoke_id=invoke_id, content_encoding="PlainText", max_results=50, next_token=token)
        body = client.describe_invocation_results_with_options(request, runtime()).body
        counter.add()
        page = (body.invocation.invocation_results.invocation_result
                if body.invocation and body.invocation.invocation_results else None) or []
        results.extend(page)
        token = body.invocation.next_token if body.invocation else None
        if not token or not page:
            return results
    raise RuntimeError(f"{invoke_id}: more than {MAX_PAGES} pages of results")


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def add(self):
        with self._lock:
            self.value += 1


def wait_finished(client, invoke_id, expected, counter, deadline):
    delay = 0.02
    while True:
        results = describe_all(client, invoke_id, counter)
        finished = sum(1 for r in results if r.invocation_status in TERMINAL)
        if len(results) >= expected and finished == len(results):
            return results
        if time.monotonic() + delay > deadline:
            raise RuntimeError(f"{invoke_id}: {finished}/{expected} instances finished when the time ran out")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def describe(endpoint, instance, concurrency, total, max_seconds, warmup=50):
    setup = make_client(endpoint)
    invoke_id = run_command(setup, [instance], "echo bench")
    wait_finished(setup, invoke_id, 1, Counter(), time.monotonic() + 30)

    clients = [make_client(endpoint) for _ in range(concurrency)]
    request = ecs_models.DescribeInvocationResultsRequest(region_id=REGION, invoke_id=invoke_id)
    for i in range(warmup):
        clients[i % concurrency].describe_invocation_results_with_options(request, runtime())

    lock = threading.Lock()
    state = {"next": 0, "errors": 0}
    latencies = []

    def worker(client, start):
        mine = []
        while time.monotonic() - start < max_seconds:
            with lock:
                if state["next"] >= total:
                    break
                state["next"] += 1
            t = time.perf_counter_ns()
            ok = False
            try:
                body = client.describe_invocation_results_with_options(request, runtime()).body
                ok = bool(body.invocation and body.invocation.invocation_results
                          and body.invocation.invocation_results.invocation_result)
            except Exception:  # noqa: BLE001 - counted, the loop goes on
                ok = False
            mine.append((time.perf_counter_ns() - t) // 1000)
            if not ok:
                with lock:
                    state["errors"] += 1
        with lock:
            latencies.extend(mine)

    cpu_before = cpu_seconds()
    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(c, start)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    cpu = cpu_seconds() - cpu_before
    latencies.sort()
    done = len(latencies)
    return {
        "client": "python", "concurrency": concurrency, "requests": done, "errors": state["errors"],
        "wall_s": wall, "rps": done / wall if wall > 0 else 0.0, "cpu_s": cpu,
        "cpu_us_per_request": cpu * 1e6 / done if done else 0.0,
        "p50_us": percentile(latencies, 50), "p99_us": percentile(latencies, 99), "peak_rss_kib": peak_rss_kib(),
    }


def fanout(endpoint, id_prefix, count, per_call, concurrency, max_seconds):
    if not 1 <= per_call <= 100 or count < 1 or concurrency < 1:
        raise SystemExit("client_py.py: COUNT, CONCURRENCY >= 1 and 1 <= PER_CALL <= 100")
    ids = [f"{id_prefix}{n:06d}" for n in range(1, count + 1)]
    batches = [ids[i:i + per_call] for i in range(0, count, per_call)]
    # one SDK client per worker thread, created before the clock starts (as the Rust client is)
    clients = queue.Queue()
    for _ in range(concurrency):
        clients.put(make_client(endpoint))
    run_calls, describe_calls = Counter(), Counter()

    def with_client(fn, *args):
        client = clients.get()
        try:
            return fn(client, *args)
        finally:
            clients.put(client)

    def run_batch(batch):
        invoke_id = with_client(run_command, batch, "echo fan-out")
        run_calls.add()
        return invoke_id, len(batch)

    def collect(invocation):
        return with_client(wait_finished, invocation[0], invocation[1], describe_calls, deadline)

    cpu_before = cpu_seconds()
    start = time.monotonic()
    deadline = start + max_seconds
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        invocations = list(pool.map(run_batch, batches))
        dispatched = time.monotonic() - start
        collected = list(pool.map(collect, invocations))
    wall = time.monotonic() - start
    cpu = cpu_seconds() - cpu_before
    results = [r for rs in collected for r in rs]
    return {
        "client": "python", "instances": count, "invocations": len(invocations), "run_calls": run_calls.value,
        "describe_calls": describe_calls.value, "api_calls": run_calls.value + describe_calls.value,
        "results": len(results), "succeeded": sum(1 for r in results if r.invocation_status == "Success"),
        "dispatch_s": dispatched, "wall_s": wall, "cpu_s": cpu, "peak_rss_kib": peak_rss_kib(),
    }


def main():
    args = sys.argv[1:]
    if len(args) in (6, 7) and args[0] == "describe":
        report = describe(args[1], args[2], int(args[3]), int(args[4]), float(args[5]),
                          int(args[6]) if len(args) == 7 else 50)
    elif len(args) == 7 and args[0] == "fanout":
        report = fanout(args[1], args[2], int(args[3]), int(args[4]), int(args[5]), float(args[6]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
