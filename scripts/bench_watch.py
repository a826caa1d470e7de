#!/usr/bin/env python3
"""The `sohoa watch` part of `make bench`: time from drop to filed, and documents per minute.

Usage: bench_watch.py SOHOA_BINARY WORKDIR [--latency-runs N] [--drop M] [--stable S]

1. Latency: a 10-page A4 300-dpi G4 TIFF is dropped (renamed into the inbox, as a scanner
   does) N times, one at a time, while `sohoa watch` runs; for each, the time from the drop to
   the moment its document row was committed (the repository's own `created` time). Prints the
   median and the 95th percentile, with the stability window they include.
2. Throughput: M documents (2 A4 pages each) are dropped at once; documents per minute from the
   drop to the last one filed.

Reads the repository's SQLite file read-only; Sohoa's own numbers, nothing is simulated.
"""

import argparse
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE_DROP = os.path.join(HERE, "..", "Tests", "Fixtures", "make_drop.py")


def generate(folder: str, count: int, pages: int) -> list[str]:
    if not os.path.exists(os.path.join(folder, ".complete")):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, MAKE_DROP, folder, str(count), "--pages", str(pages), "--a4"], check=True,
                       stdout=subprocess.DEVNULL)
        open(os.path.join(folder, ".complete"), "w").close()
    found = []
    for root, _, names in os.walk(folder):
        found += [os.path.relpath(os.path.join(root, n), folder) for n in names if n.endswith(".tif")]
    return sorted(found)


def filed(database: str, relative: str):
    """The document's `created` time (ms) once the intake item is filed, else None."""
    if not os.path.exists(database):
        return None
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT d.created FROM intake i JOIN documents d ON d.id = i.document_id "
                             "WHERE i.relative_path = ? AND i.state = 'filed'", (relative,)).fetchone()
            return row[0] if row else None
    except sqlite3.OperationalError:
        return None


def count_filed(database: str) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM intake WHERE state = 'filed'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def last_filed(database: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        return db.execute("SELECT MAX(created) FROM documents").fetchone()[0]


def drop(source_root: str, inbox: str, relative: str, name: str | None = None, suffix: int | None = None) -> str:
    target_relative = os.path.join(os.path.dirname(relative), name) if name else relative
    target = os.path.join(inbox, target_relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Written under a dot name (which intake ignores), then renamed: what scanners do.
    hidden = os.path.join(os.path.dirname(target), "." + os.path.basename(target) + ".part")
    shutil.copyfile(os.path.join(source_root, relative), hidden)
    if suffix is not None:
        with open(hidden, "ab") as handle:  # another document each time: one more byte after the TIFF's data
            handle.write(suffix.to_bytes(4, "big"))
    os.rename(hidden, target)
    return target_relative


def start_watcher(arguments, folder: str):
    """Starts `sohoa watch` on an empty inbox in `folder`; returns the inbox, the database and the process."""
    inbox = os.path.join(folder, "inbox")
    data = os.path.join(folder, "data")
    os.makedirs(inbox)
    log = open(os.path.join(folder, "watch.log"), "w")
    watcher = subprocess.Popen([arguments.sohoa, "watch", "--inbox", inbox, "--data", data, "--stable-seconds",
                                str(arguments.stable)], stdout=log, stderr=log)
    time.sleep(0.5)
    return inbox, os.path.join(data, "sohoa.sqlite"), watcher


def run(arguments) -> None:
    work = os.path.abspath(arguments.workdir)
    ten = generate(os.path.join(work, "ten-pages"), 1, 10)[0]
    many = generate(os.path.join(work, f"drop-{arguments.drop}"), arguments.drop, 2)
    for label in ("latency", "throughput"):
        shutil.rmtree(os.path.join(work, label), ignore_errors=True)

    # 1. Latency, one document at a time.
    inbox, database, watcher = start_watcher(arguments, os.path.join(work, "latency"))
    latencies = []
    try:
        for run_index in range(arguments.latency_runs):
            # Same pages, another document each time: a new name and one changed byte at the end.
            relative = drop(os.path.join(work, "ten-pages"), inbox, ten, f"run-{run_index:03d}.tif", suffix=run_index)
            dropped = time.time() * 1000
            while (created := filed(database, relative)) is None:
                time.sleep(0.01)
            latencies.append((created - dropped) / 1000)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=60)
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    print(f"  drop → filed, 10-page A4 300-dpi G4 TIFF, {len(latencies)} drops, stability window {arguments.stable:.1f} s:")
    print(f"    median {statistics.median(latencies):.2f} s, p95 {p95:.2f} s "
          f"(without the window: median {statistics.median(latencies) - arguments.stable:.2f} s)")

    # 2. Throughput: everything at once.
    inbox, database, watcher = start_watcher(arguments, os.path.join(work, "throughput"))
    try:
        start = time.time() * 1000
        for relative in many:
            drop(os.path.join(work, f"drop-{arguments.drop}"), inbox, relative)
        while count_filed(database) < len(many):
            if watcher.poll() is not None:
                raise SystemExit("sohoa watch stopped during the benchmark; see " + os.path.join(work, "throughput", "watch.log"))
            time.sleep(0.2)
        seconds = (last_filed(database) - start) / 1000
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=120)
    print(f"  {len(many)} documents (2 A4 300-dpi G4 pages each) dropped at once: all filed in {seconds:.1f} s, "
          f"{len(many) / seconds * 60:.0f} documents/minute")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("sohoa")
    parser.add_argument("workdir")
    parser.add_argument("--latency-runs", type=int, default=20)
    parser.add_argument("--drop", type=int, default=500)
    parser.add_argument("--stable", type=float, default=1.0)
    run(parser.parse_args())
