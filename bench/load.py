"""A load generator in its own process: ``python -m bench.load URL PATHS_FILE --duration S [--rate R] [-c N]``.

Two modes, one JSON line on stdout (``rps``, ``p50_ms``, ``p90_ms``, ``p99_ms``, ``max_ms``, ``requests``, ``errors``):

* **closed loop** (no ``--rate``): ``N`` keep-alive connections each send the next request as soon as the last
  answered, i.e. saturation, like wrk (used for throughput when wrk is absent, e.g. in the CI smoke run);
* **fixed rate** (``--rate R``, open loop, what wrk2 does): request ``i`` is due at ``start + i / R`` whatever
  happened before, and its latency is counted **from that due time**, so a slow answer that delays the requests
  behind it shows in their latencies too (no coordinated omission). ``N`` connections carry the requests; if all
  are busy when one falls due it waits, and the wait is counted.

The paths (one per line) are taken in turn, starting at a random offset per connection.
"""

import argparse
import http.client
import json
import random
import threading
import time
from urllib.parse import urlparse


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, max(0, int(round(q * len(sorted_values))) - 1))]


def run(url, paths, *, duration, connections, rate=None):
    target = urlparse(url)
    latencies, errors = [], [0]
    lock = threading.Lock()
    next_index = [0]
    start = time.perf_counter() + 0.05
    stop = start + duration

    def worker(offset):
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        k = offset
        while True:
            if rate:
                with lock:
                    i = next_index[0]
                    next_index[0] += 1
                due = start + i / rate
                if due >= stop:
                    break
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            else:
                due = time.perf_counter()
                if due >= stop:
                    break
            try:
                conn.request("GET", paths[k % len(paths)])
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - due
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
            k += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(random.randrange(len(paths)),), daemon=True)
               for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = max(time.perf_counter() - start, 1e-9)
    ordered = sorted(latencies)
    return {
        "mode": "rate" if rate else "closed", "offered_rps": rate, "connections": connections,
        "requests": len(ordered), "errors": errors[0], "rps": len(ordered) / seconds,
        "p50_ms": percentile(ordered, 0.50) * 1000, "p90_ms": percentile(ordered, 0.90) * 1000,
        "p99_ms": percentile(ordered, 0.99) * 1000, "max_ms": (ordered[-1] if ordered else 0) * 1000,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("paths_file")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--rate", type=float, default=None, help="requests per second (open loop); none: closed loop")
    parser.add_argument("-c", "--connections", type=int, default=8)
    args = parser.parse_args(argv)
    with open(args.paths_file) as f:
        paths = [line.strip() for line in f if line.strip()]
    print(json.dumps(run(args.url, paths, duration=args.duration, connections=args.connections, rate=args.rate)),
          flush=True)


if __name__ == "__main__":
    main()
