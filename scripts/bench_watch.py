#!/usr/bin/env python3
"""The `sohoa watch` part of `make bench`: time from drop to filed, and documents per minute.

Usage: bench_watch.py SOHOA_BINARY WORKDIR [--latency-runs N] [--drop M] [--stable S]
       bench_watch.py SOHOA_BINARY WORKDIR --postgres ADMIN_URL [--drop M] [--nodes 1 2] [--stable S]

1. Latency: a 10-page A4 300-dpi G4 TIFF is dropped (renamed into the inbox, as a scanner
   does) N times, one at a time, while `sohoa watch` runs; for each, the time from the drop to
   the moment its document row was committed (the repository's own `created` time). Prints the
   median and the 95th percentile, with the stability window they include.
2. Throughput: M documents (2 A4 pages each) are dropped at once; documents per minute from the
   drop to the last one filed.

Reads the repository's SQLite file read-only; Sohoa's own numbers, nothing is simulated. The
watchers run with --no-ocr: this measures intake and assembly (the pages' reading is measured by
bench_ocr.sh, page by page against OCRmyPDF).

With --postgres (the administrator's URL of a server, e.g. the throw-away one of
scripts/test-postgres.sh; the password in PGPASSWORD): for each count of nodes, a new database and
a repository on it (`sohoa repo init --database`), then that many `sohoa watch` processes on the
one repository, each with an inbox of its own (a branch each, the usual layout), the M documents
dropped at once, shared out among the inboxes in turn. Prints documents/minute for each count,
the ratio, and where the time went: the CPU time the watchers and the PostgreSQL server used, and
`sohoa assemble` alone on some of the same scans.
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
                                str(arguments.stable), "--no-ocr"], stdout=log, stderr=log)
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


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def cpu_seconds(pid: int, children: bool = True) -> float:
    """User + system CPU time of a live process (with its waited-for children's)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(postmaster: int) -> float:
    """CPU time of the PostgreSQL server: the postmaster with the backends it has reaped, and the live ones."""
    total = cpu_seconds(postmaster)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == postmaster:
                total += cpu_seconds(int(entry))
    return total


def postmaster_pid() -> int | None:
    folder = os.environ.get("SOHOA_TEST_POSTGRES_FOLDER")
    try:
        return int(open(os.path.join(folder, "data", "postmaster.pid")).readline()) if folder else None
    except OSError:
        return None


def run_postgres(arguments) -> None:
    work = os.path.abspath(arguments.workdir)
    scans = os.path.join(work, f"drop-{arguments.drop}")
    many = generate(scans, arguments.drop, 2)
    server = arguments.postgres.rsplit("/", 1)[0]
    postmaster = postmaster_pid()
    rates, failed = {}, False
    for nodes in arguments.nodes:
        folder = os.path.join(work, f"postgres-{nodes}-nodes")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        name = f"sohoa_bench_watch_{nodes}_{os.getpid()}"
        psql(arguments.postgres, f"CREATE DATABASE {name}")
        url = f"{server}/{name}"
        data = os.path.join(folder, "data")
        subprocess.run([arguments.sohoa, "repo", "init", "--data", data, "--database", url], check=True,
                       stdout=subprocess.DEVNULL)
        inboxes, watchers, logs = [], [], []
        try:
            for node in range(nodes):
                inbox = os.path.join(folder, f"inbox-{node + 1}")
                os.makedirs(inbox)
                logs.append(os.path.join(folder, f"watch-{node + 1}.log"))
                log = open(logs[-1], "w")
                watchers.append(subprocess.Popen([arguments.sohoa, "watch", "--inbox", inbox, "--data", data,
                                                  "--stable-seconds", str(arguments.stable), "--no-ocr"],
                                                 stdout=log, stderr=log))
                inboxes.append(inbox)
            # Each watcher has opened the repository once its inbox holds its lock file.
            deadline = time.time() + 60
            while not all(os.path.exists(os.path.join(inbox, ".sohoa-watch.lock")) for inbox in inboxes):
                if time.time() > deadline or any(w.poll() is not None for w in watchers):
                    raise SystemExit(f"sohoa watch did not start; see {folder}/watch-*.log")
                time.sleep(0.05)
            time.sleep(0.5)
            server_before = server_cpu_seconds(postmaster) if postmaster else None
            start = time.time() * 1000
            for index, relative in enumerate(many):
                drop(scans, inboxes[index % nodes], relative)
            given_up = 0
            while (filed_count := int(psql(url, "SELECT COUNT(*) FROM intake WHERE state = 'filed'"))) < len(many):
                if any(w.poll() is not None for w in watchers):
                    raise SystemExit(f"sohoa watch stopped during the benchmark; see {folder}/watch-*.log")
                # A job given up never files its document: stop waiting once every job has ended.
                given_up = int(psql(url, "SELECT COUNT(*) FROM jobs WHERE state = 'failed'"))
                if given_up and filed_count + given_up >= len(many):
                    break
                time.sleep(0.2)
            seconds = (int(psql(url, "SELECT MAX(created) FROM documents")) - start) / 1000
            watch_cpu = sum(cpu_seconds(w.pid) for w in watchers)
            server_cpu = server_cpu_seconds(postmaster) - server_before if postmaster else None
        finally:
            for watcher in watchers:
                watcher.send_signal(signal.SIGTERM)
            for watcher in watchers:
                try:
                    watcher.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    watcher.kill()
        if filed_count < len(many):
            reasons = psql(url, "SELECT last_error FROM jobs WHERE state = 'failed' LIMIT 1")
            print(f"  {nodes} node{'s' if nodes > 1 else ''} on one PostgreSQL: FAILED — {filed_count} of {len(many)} documents "
                  f"filed, {given_up} jobs given up (first: {reasons}); see {folder}/watch-*.log")
            failed = True
            continue
        rates[nodes] = len(many) / seconds * 60
        used = f"sohoa watch {watch_cpu:.1f} CPU-s ({watch_cpu / len(many) * 1000:.0f} ms a document)"
        if server_cpu is not None:
            used += f", PostgreSQL {server_cpu:.1f} CPU-s ({server_cpu / len(many) * 1000:.0f} ms a document)"
        layout = "sohoa watch with 2 workers and an inbox of its own" + (" each" if nodes > 1 else "")
        print(f"  {nodes} node{'s' if nodes > 1 else ''} ({layout}) on one PostgreSQL: "
              f"{len(many)} documents filed in {seconds:.1f} s, {rates[nodes]:.0f} documents/minute; CPU used: {used}")
    if len(rates) > 1:
        counts = sorted(rates)
        print(f"  {counts[-1]} nodes / {counts[0]} node = {rates[counts[-1]] / rates[counts[0]]:.2f}× "
              f"(this machine has {os.cpu_count()} cores, shared by every node and the server)")
    # Assembly alone: `sohoa assemble` on some of the same scans, one process each, one at a time.
    sample = many[:: max(1, len(many) // 40)][:40]
    out = os.path.join(work, "assemble-alone.pdf")
    began = time.perf_counter()
    for relative in sample:
        subprocess.run([arguments.sohoa, "assemble", "-o", out, os.path.join(scans, relative)], check=True,
                       stdout=subprocess.DEVNULL)
    each = (time.perf_counter() - began) / len(sample)
    print(f"  sohoa assemble alone on {len(sample)} of the same scans, one process each, one at a time: "
          f"{each * 1000:.0f} ms a document (so at most {2 * 60 / each:.0f} documents/minute on 2 cores, database aside)")
    if failed:
        raise SystemExit("bench_watch: a run did not file every document (above)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("sohoa")
    parser.add_argument("workdir")
    parser.add_argument("--latency-runs", type=int, default=20)
    parser.add_argument("--drop", type=int, default=500)
    parser.add_argument("--stable", type=float, default=1.0)
    parser.add_argument("--postgres", metavar="ADMIN_URL",
                        help="time 1 and 2 nodes on a PostgreSQL repository on this server instead (PGPASSWORD)")
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2])
    parsed = parser.parse_args()
    run_postgres(parsed) if parsed.postgres else run(parsed)
