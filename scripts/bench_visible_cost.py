#!/usr/bin/env python3
"""The CPU a visible signature's appearance costs a document, for bench_visible.sh.

Usage: bench_visible_cost.py PAIRS TEMPLATE_DIR -- VISIBLE_COMMAND... -- INVISIBLE_COMMAND...

Each command signs a fresh copy of the repository TEMPLATE_DIR, given as {data} in its
arguments. The two run one after the other, PAIRS times, so that whatever else the machine is
doing weighs on both alike; the CPU of each run (user and system, of the process and its
children) is read from the kernel. Prints the median of the per-pair differences divided by the
documents signed, with the lowest and highest, and each command's median CPU.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys


def cpu_of(command: list[str], data: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([part.replace("{data}", data) for part in command], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    pairs, template = int(sys.argv[1]), sys.argv[2]
    rest = sys.argv[3:]
    split = [index for index, part in enumerate(rest) if part == "--"]
    visible, invisible = rest[split[0] + 1:split[1]], rest[split[1] + 1:]
    data = template.rstrip("/") + "-cost"
    documents = count_pending(template)
    differences, visible_cpu, invisible_cpu = [], [], []
    for pair in range(pairs + 1):  # the first pair warms the caches and is not counted
        measured = []
        for command in (visible, invisible):
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(template, data, symlinks=True)
            measured.append(cpu_of(command, data))
        if pair == 0:
            continue
        visible_cpu.append(measured[0])
        invisible_cpu.append(measured[1])
        differences.append((measured[0] - measured[1]) / documents * 1000)
    shutil.rmtree(data, ignore_errors=True)
    print(f"  with it: CPU {statistics.median(visible_cpu):.3f} s, invisible: CPU {statistics.median(invisible_cpu):.3f} s "
          f"(medians of {pairs} runs each, run in turn)")
    print(f"  the appearance per document: {statistics.median(differences):.2f} ms CPU "
          f"(pairs from {min(differences):.2f} to {max(differences):.2f} ms)")


def count_pending(template: str) -> int:
    import sqlite3
    with sqlite3.connect(f"file:{os.path.join(template, 'sohoa.sqlite')}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM documents WHERE state = 'pending'").fetchone()[0]


if __name__ == "__main__":
    main()
