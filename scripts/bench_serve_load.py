"""Fills a repository that `sohoa repo init` made with the records of N documents for the
`sohoa serve` benchmark, set by set (not filed one by one through the store): 5 documents per
citizen (citizen i is 0010 and i in 8 digits), 2 cases per citizen, one version each, every
version the same real signed PDF already filed in the repository (its blob is there), each
document with its own public check code. Prints the public codes, one per line, to CODES.

  SQLite:     bench_serve_load.py sqlite DATA/sohoa.sqlite N HASH CODES
  PostgreSQL: bench_serve_load.py postgres URL N HASH CODES   (rows through psql's COPY)
"""
import hashlib
import io
import os
import sqlite3
import subprocess
import sys

engine, target, count, blob, codes_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
citizens = max(1, count // 5)
start = 1761955200000  # 1 Nov 2025, in ms


def citizen(i):
    return f"0010{i:08d}"


def case(k):
    return f"000.00.{k // 279972 + 1:02d}.H26-2511{k % 28 + 1:02d}-{k // 28 % 9999 + 1:04d}"


def document_id(j):
    return hashlib.md5(f"sohoa-bench-document-{j}".encode()).hexdigest()


def code(j):
    return hashlib.md5(f"sohoa-bench-code-{j}".encode()).hexdigest()


cases = [(case(k), citizen(k // 2), None, start + k * 1000) for k in range(2 * citizens)]
documents = [(document_id(j), citizen(j % citizens), "giay-to", f"Tài liệu {j}", None, None, "approved", start + j * 2500, code(j))
             for j in range(count)]
links = [(document_id(j), case((j % citizens) * 2 + (j // citizens) % 2), 0) for j in range(count)]
versions = [(document_id(j), 1, blob, "imported", "bench", start + j * 2500, None, 250000) for j in range(count)]

if engine == "sqlite":
    db = sqlite3.connect(target)
    with db:
        db.executemany("INSERT INTO cases (code, owner, procedure, created) VALUES (?, ?, ?, ?)", cases)
        db.executemany("INSERT INTO documents (id, owner, type, title, issued, valid_until, state, created, public_code) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", documents)
        db.executemany("INSERT INTO document_cases (document_id, case_code, position) VALUES (?, ?, ?)", links)
        db.executemany("INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", versions)
    db.execute("ANALYZE")
    db.close()
else:
    def copy(table, columns, rows):
        text = io.StringIO()
        for row in rows:
            text.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", target, "-c",
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN"], input=text.getvalue(), text=True, check=True)
    copy("cases", ["code", "owner", "procedure", "created"], cases)
    copy("documents", ["id", "owner", "type", "title", "issued", "valid_until", "state", "created", "public_code"], documents)
    copy("document_cases", ["document_id", "case_code", "position"], links)
    copy("versions", ["document_id", "number", "sha256", "kind", "actor", "created", "parent", "size"], versions)
    subprocess.run(["psql", "-X", "-q", target, "-c", "ANALYZE"], check=True)

with open(codes_path, "w") as file:
    file.write("\n".join(code(j) for j in range(0, count, max(1, count // 10000))) + "\n")
