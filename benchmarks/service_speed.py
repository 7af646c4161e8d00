"""Speed of ``ldn-titrate serve``: an order-sign call against a trivial endpoint of the same server.

The script starts the service (``--no-auth``, on a free loopback port) and sends requests from
several concurrent clients, each on its own kept-alive connection: first the discovery document
(a trivial endpoint: no body to read, nothing to check), then a typical order-sign call (one
low-dose naltrexone order of three steps, two medicines prefetched), the same number of each in
the same run. It prints requests a second and latency percentiles for both, the ratio of the
two, and the cost of checking the same order in-process (read and check, no HTTP), so that the
HTTP and card overhead can be told from the check itself.

Usage::

    python3 benchmarks/service_speed.py [--clients 4] [--requests 2000]

Needs the service extra (``python3 -m pip install '.[service]'``). The figures are for
information: the script exits 0 whatever they are, and non-zero only when a request fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from ldn_titrate.check import CheckOptions, check_plan
from ldn_titrate.received.fhir_reader import read_fhir

ROOT = Path(__file__).resolve().parent.parent
CALL = ROOT / "tests" / "data" / "service" / "clean.json"
SIGN = "/cds-services/ldn-titrate-order-sign"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "ldn_titrate", "serve", "--no-auth", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/cds-services")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("the service did not start within 60 s")


Endpoint = tuple[str, str, bytes | None]  # method, path, body
TRIVIAL: Endpoint = ("GET", "/cds-services", None)


def client(port: int, endpoint: Endpoint, count: int, out: list[float]) -> None:
    method, path, body = endpoint
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    for _ in range(count):
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{method} {path} answered {response.status}")
        out.append(time.perf_counter() - started)
    connection.close()


def measure(port: int, endpoint: Endpoint, clients: int, total: int) -> tuple[float, list[float]]:
    """Requests a second over all clients, and every latency in seconds."""
    results: list[list[float]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(target=client, args=(port, endpoint, total // clients, results[n]))
        for n in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [value for found in results for value in found]
    return len(latencies) / elapsed, latencies


def percentiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p90": cuts[89] * 1000, "p99": cuts[98] * 1000}


def check_cost(runs: int = 500) -> float:
    """Seconds to read and check the call's order in-process, the median of ``runs``."""
    call = json.loads(CALL.read_text(encoding="utf-8"), parse_float=Decimal)
    order = call["context"]["draftOrders"]["entry"][0]["resource"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        check_plan(read_fhir(order, "order"), CheckOptions())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def answer_cost(runs: int = 500) -> float:
    """Seconds for the service's own work on the call in-process, the median of ``runs``.

    Read the JSON, sort the orders, screen the medicines, check the order, build the cards and
    write them as JSON: everything but HTTP.
    """
    from ldn_titrate.service.app import INLINE_BODY_BYTES  # noqa: PLC0415 - the extra
    from ldn_titrate.service.cards import answer  # noqa: PLC0415
    from ldn_titrate.service.hook_request import parse_json, read_call  # noqa: PLC0415

    body = CALL.read_bytes()
    if len(body) > INLINE_BODY_BYTES:
        sys.exit("the typical call is answered in a worker thread; this measure would not hold")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        json.dumps(answer(read_call(parse_json(body), "order-sign"), CheckOptions()))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    body = CALL.read_bytes()
    port = free_port()
    process = start(port)
    try:
        order_sign: Endpoint = ("POST", SIGN, body)
        measure(port, TRIVIAL, args.clients, 200)  # warm up
        measure(port, order_sign, args.clients, 200)
        trivial = measure(port, TRIVIAL, args.clients, args.requests)
        sign = measure(port, order_sign, args.clients, args.requests)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    cpus = os.cpu_count()
    print(f"Python {platform.python_version()}, {cpus} processors; {args.clients} clients,")
    print(f"{args.requests} requests to each endpoint over loopback, one server process\n")
    print(f"{'endpoint':<22} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for name, (rate, latencies) in (("GET /cds-services", trivial), ("POST order-sign", sign)):
        cut = percentiles(latencies)
        print(f"{name:<22} {rate:>8.0f} {cut['p50']:>8.2f} {cut['p90']:>8.2f} {cut['p99']:>8.2f}")
    cost = check_cost()
    whole = answer_cost()
    p50_trivial = percentiles(trivial[1])["p50"]
    p50_sign = percentiles(sign[1])["p50"]
    print(
        f"\norder-sign / trivial: {trivial[0] / sign[0]:.2f}× fewer requests a second, "
        f"{p50_sign / p50_trivial:.2f}× the median latency"
    )
    per_trivial, per_sign = 1000 / trivial[0], 1000 / sign[0]
    print(
        f"server time per request: {per_trivial:.2f} ms trivial, {per_sign:.2f} ms order-sign; "
        f"the difference, {per_sign - per_trivial:.2f} ms, against {whole * 1000:.2f} ms for the "
        f"call's work in-process, of which {cost * 1000:.2f} ms reads and checks the order"
    )


if __name__ == "__main__":
    main()
