/// The repository's records: documents, their versions and cases (`DocumentStore`), the
/// text of their pages and the search over it (`DocumentTextStore`), the
/// hash-chained audit log (`AuditLog`), and the intake records and job queue the pipeline
/// works from (`JobQueue`), the nodes at work (`NodeRegistry`) and who may use the service
/// (`AccessRegistry`). An embedded SQLite implementation (`SQLiteStore`) and, later, a
/// PostgreSQL one; every implementation passes the same conformance suites (in the test
/// support). Blobs are not stored here (`BlobStore`): a row only ever points at a blob written
/// and synced before it.
///
/// Code that needs one concern takes that protocol alone; code that needs them all says
/// `any Store`. Every requirement throws `StoreError` (typed: a refusal is never transient)
/// or, for the job queue, `LeaseLost`.
public protocol Store: DocumentStore, DocumentTextStore, AuditLog, JobQueue, StoreTransfer, NodeRegistry, AccessRegistry {}
