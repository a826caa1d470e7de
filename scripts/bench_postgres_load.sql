-- The records of :documents documents (metadata only, no blobs) for `make bench`, loaded set by
-- set into the tables of a repository `sohoa repo init` made (the real schema, its indexes and
-- foreign keys), much faster than filing them one by one through the store:
--   psql -v documents=1000000 -v citizens=200000 -f scripts/bench_postgres_load.sql URL
-- The shape of the SQLite benchmark's: 5 documents per citizen (citizen i is 0010 and i in 8
-- digits), each citizen with 2 cases, one version per document; ids of 32 lower-case hex digits,
-- SHA-256 hashes of 64, times in milliseconds, one document filed every 2.5 s from 1 Nov 2025
-- (so a citizen's documents lie far apart in the table, as when filed over weeks). No audit
-- entries: listing does not read them.
\set ON_ERROR_STOP on
BEGIN;
-- Case k (two per citizen): agency 000.00.NN.H26, a day of November 2025, the day's sequence number.
CREATE FUNCTION pg_temp.bench_case(k bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '000.00.' || lpad((k / 279972 + 1)::text, 2, '0') || '.H26-2511' || lpad((k % 28 + 1)::text, 2, '0')
           || '-' || lpad((k / 28 % 9999 + 1)::text, 4, '0')
$$;
CREATE FUNCTION pg_temp.bench_citizen(i bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '0010' || lpad(i::text, 8, '0')
$$;
CREATE FUNCTION pg_temp.bench_id(j bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT md5('sohoa-bench-document-' || j)
$$;
INSERT INTO cases (code, owner, procedure, created)
SELECT pg_temp.bench_case(k), pg_temp.bench_citizen(k / 2), NULL, 1761955200000 + k * 1000
FROM generate_series(0::bigint, 2 * :citizens - 1) AS k;
INSERT INTO documents (id, owner, type, title, issued, valid_until, state, created)
SELECT pg_temp.bench_id(j), pg_temp.bench_citizen(j % :citizens), 'giay-to', 'Tài liệu ' || j, NULL, NULL, 'signed',
       1761955200000 + j * 2500
FROM generate_series(0::bigint, :documents - 1) AS j;
INSERT INTO document_cases (document_id, case_code, position)
SELECT pg_temp.bench_id(j), pg_temp.bench_case((j % :citizens) * 2 + (j / :citizens) % 2), 0
FROM generate_series(0::bigint, :documents - 1) AS j;
INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size)
SELECT pg_temp.bench_id(j), 1, md5('sohoa-bench-content-' || j) || md5('sohoa-bench-content-2-' || j), 'imported', 'bench',
       1761955200000 + j * 2500, NULL, 250000
FROM generate_series(0::bigint, :documents - 1) AS j;
COMMIT;
ANALYZE;
