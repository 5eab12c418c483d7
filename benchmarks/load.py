"""A small HTTP load generator (no Django): processes × threads of http.client for a while.

    python -m benchmarks.load http://127.0.0.1:8765/api/v1/members/ --seconds 10 \\
        --processes 2 --threads 4 --header "Authorization: Token abc"

Prints one JSON line: requests, errors, requests per second, median and p95 latency (ms).
Each request opens its own connection: gunicorn's sync workers close it after a response.
"""

import argparse
import http.client
import json
import multiprocessing
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def _thread(url, headers, deadline, timings, errors):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            ok = response.status == 200
        except OSError:
            ok = False
        if ok:
            timings.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(1)


def _process(url, headers, seconds, threads, queue):
    deadline = time.perf_counter() + seconds
    timings, errors = [], []
    workers = [threading.Thread(target=_thread, args=(url, headers, deadline, timings, errors)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((timings, len(errors)))


def run(url, *, seconds=10.0, processes=2, threads=4, headers=None) -> dict:
    queue = multiprocessing.Queue()
    started = time.perf_counter()
    children = [
        multiprocessing.Process(target=_process, args=(url, headers or {}, seconds, threads, queue))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    timings, errors = [], 0
    for _ in children:
        some, failed = queue.get()
        timings += some
        errors += failed
    for child in children:
        child.join()
    elapsed = time.perf_counter() - started
    timings.sort()
    return {
        "requests": len(timings),
        "errors": errors,
        "rps": len(timings) / elapsed,
        "median_ms": statistics.median(timings) if timings else 0.0,
        "p95_ms": timings[int(len(timings) * 0.95) - 1] if timings else 0.0,
        "concurrency": processes * threads,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    result = run(args.url, seconds=args.seconds, processes=args.processes, threads=args.threads, headers=headers)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
