#!/usr/bin/env python3
"""The CPU a visible signature's appearance costs a document, for bench_visible.sh.

Usage: bench_visible_cost.py PAIRS TEMPLATE_DIR -- VISIBLE_COMMAND... -- INVISIBLE_COMMAND...

Each command signs a fresh copy of the repository TEMPLATE_DIR, given as {data} in its
arguments. The two run one after the other, PAIRS times, each first in every other pair, so
that whatever else the machine is doing weighs on both alike; the CPU of each run (user and system, of the process and its
children) is read from the kernel. Prints the median of the per-pair differences divided by the
documents signed, with the lowest and highest, each command's median CPU, and the same
difference in user time alone.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys


def cpu_of(command: list[str], data: str) -> tuple[float, float]:
    """The user and system CPU seconds of one run of `command` on `data`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([part.replace("{data}", data) for part in command], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main() -> None:
    pairs, template = int(sys.argv[1]), sys.argv[2]
    rest = sys.argv[3:]
    split = [index for index, part in enumerate(rest) if part == "--"]
    visible, invisible = rest[split[0] + 1:split[1]], rest[split[1] + 1:]
    data = template.rstrip("/") + "-cost"
    documents = count_pending(template)
    differences, user_differences, visible_cpu, invisible_cpu = [], [], [], []
    for pair in range(pairs + 1):  # the first pair warms the caches and is not counted
        measured = {}
        # Each goes first in every other pair, so that neither always inherits the other's
        # leftovers (the file system's deferred work).
        for name, command in (("visible", visible), ("invisible", invisible))[::1 if pair % 2 else -1]:
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(template, data, symlinks=True)
            # The copy's pages go to disk now, not during the run, whose system time they would swell.
            os.sync()
            measured[name] = cpu_of(command, data)
        if pair == 0:
            continue
        (visible_user, visible_system), (invisible_user, invisible_system) = measured["visible"], measured["invisible"]
        visible_cpu.append(visible_user + visible_system)
        invisible_cpu.append(invisible_user + invisible_system)
        differences.append((visible_cpu[-1] - invisible_cpu[-1]) / documents * 1000)
        user_differences.append((visible_user - invisible_user) / documents * 1000)
    shutil.rmtree(data, ignore_errors=True)
    print(f"  with it: CPU {statistics.median(visible_cpu):.3f} s, invisible: CPU {statistics.median(invisible_cpu):.3f} s "
          f"(medians of {pairs} runs each, run in turn)")
    print(f"  the appearance per document: {statistics.median(differences):.2f} ms CPU "
          f"(pairs from {min(differences):.2f} to {max(differences):.2f} ms)")
    # The appearance is computed in user space; the kernel's share of a run (file system
    # work) varies most from run to run.
    print(f"  of which user time: {statistics.median(user_differences):.2f} ms "
          f"(pairs from {min(user_differences):.2f} to {max(user_differences):.2f} ms)")
    # The mean with its 95 % confidence interval: what the pairs say, given how much they vary.
    for name, values in (("CPU", differences), ("user time", user_differences)):
        half = 1.96 * statistics.stdev(values) / len(values) ** 0.5
        print(f"  mean {name}: {statistics.mean(values):.2f} ± {half:.2f} ms")


def count_pending(template: str) -> int:
    import sqlite3
    with sqlite3.connect(f"file:{os.path.join(template, 'sohoa.sqlite')}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM documents WHERE state = 'pending'").fetchone()[0]


if __name__ == "__main__":
    main()
