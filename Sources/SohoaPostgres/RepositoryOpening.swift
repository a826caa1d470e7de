import Foundation
import SohoaRepository

/// Opens a repository folder with whichever engine keeps its records (`RepositoryDescriptor`):
/// the embedded SQLite database in the folder, or a PostgreSQL server shared by every node,
/// with the blobs in the folder either way. Every command that takes `--data DIR` opens
/// through here, so it works unchanged on any node.
public enum RepositoryOpening {
    /// What `initialize` did.
    public enum Made: Sendable, Equatable {
        /// A new repository was made.
        case created
        /// The folder already was this repository (same engine and database): nothing changed.
        case existing
    }

    /// Whether `data` holds a repository (a description, or the embedded database of a folder
    /// made before there were descriptions).
    public static func isRepository(_ data: String) -> Bool {
        FileManager.default.fileExists(atPath: RepositoryDescriptor.path(in: data))
            || FileManager.default.fileExists(atPath: Repository.embeddedDatabase(in: data))
    }

    /// Opens the repository in `data`. `passwordFile` (a node's own setting) overrides the one
    /// the folder names. A folder that is no repository is `StoreError.notFound`, unless
    /// `creatingEmbedded`: then the embedded default is made there (`sohoa watch`, `repo import`).
    public static func open(data: String, passwordFile: String? = nil, creatingEmbedded: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> Repository {
        guard let descriptor = try RepositoryDescriptor.read(in: data) else {
            guard creatingEmbedded || FileManager.default.fileExists(atPath: Repository.embeddedDatabase(in: data)) else {
                throw StoreError.notFound("\(data) is not a Sohoa repository")
            }
            return try Repository(data: data)
        }
        switch descriptor.engine {
        case .sqlite:
            return try Repository(data: data)
        case .postgresql:
            let location = try location(of: descriptor, in: data)
            let password = try PostgresPassword.find(for: location, passwordFile: passwordFile ?? descriptor.passwordFile,
                                                     environment: environment)
            let store = try await PostgresStore.open(location, password: password)
            guard store.repositoryID == descriptor.id else {
                throw StoreError.refused("\(data): this folder belongs to repository \(descriptor.id), but the database "
                                         + "\(location) holds repository \(store.repositoryID); check the mount and the URL")
            }
            return Repository(store: store, blobs: try BlobStore(data: data))
        }
    }

    /// Makes the repository in `data`: its records in PostgreSQL at `database` (its blobs in
    /// `data`, which every node mounts), or, without `database`, the embedded SQLite of today.
    /// The folder must be writable (each node writes blobs there). Run again with the same
    /// arguments it changes nothing; a folder that is already another repository is refused.
    public static func initialize(data: String, database: PostgresLocation?, passwordFile: String?,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> (Repository, Made) {
        let folderWasThere = FileManager.default.fileExists(atPath: data)
        do { try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true) } catch {
            throw StoreError.storage("\(data): the repository folder cannot be made (\(error.localizedDescription))")
        }
        do {
            return try await initialize(folder: data, database: database, passwordFile: passwordFile, environment: environment)
        } catch {
            // Nothing half-made: a folder made here for a repository that could not be made goes again.
            if !folderWasThere { try? FileManager.default.removeItem(atPath: data) }
            throw error
        }
    }

    private static func initialize(folder data: String, database: PostgresLocation?, passwordFile: String?,
                                   environment: [String: String]) async throws -> (Repository, Made) {
        try WritableFolder.check(data)
        let existing = try RepositoryDescriptor.read(in: data)
        let hasEmbedded = FileManager.default.fileExists(atPath: Repository.embeddedDatabase(in: data))
        guard let database else {
            if let existing, existing.engine != .sqlite {
                throw StoreError.refused("\(data) is already a repository whose records are in \(existing.database ?? "PostgreSQL"); "
                                         + "nothing was changed")
            }
            let made: Made = existing != nil || hasEmbedded ? .existing : .created
            if existing == nil { try RepositoryDescriptor(engine: .sqlite).write(in: data) }
            return (try Repository(data: data), made)
        }
        if hasEmbedded || existing?.engine == .sqlite {
            throw StoreError.refused("\(data) is already a repository with its records in the folder (sohoa.sqlite); to move them "
                                     + "to PostgreSQL make a new repository and run sohoa repo migrate --from \(data) --data NEW")
        }
        if let existing, existing.database != database.description {
            throw StoreError.refused("\(data) is already a repository whose records are in \(existing.database ?? "another database"); "
                                     + "nothing was changed")
        }
        let descriptor = existing ?? RepositoryDescriptor(engine: .postgresql, database: database.description, passwordFile: passwordFile)
        let password = try PostgresPassword.find(for: database, passwordFile: passwordFile ?? descriptor.passwordFile,
                                                 environment: environment)
        // The folder is described first: a run that stops after the database was made is
        // finished by running it again, with the same repository id.
        let blobs = try BlobStore(data: data)
        if existing == nil { try descriptor.write(in: data) }
        do {
            let store = try await PostgresStore.open(database, password: password, opening: .creating(id: descriptor.id))
            return (Repository(store: store, blobs: blobs), existing == nil ? .created : .existing)
        } catch {
            if existing == nil { try? FileManager.default.removeItem(atPath: RepositoryDescriptor.path(in: data)) }
            throw error
        }
    }

    /// The PostgreSQL location a descriptor names.
    static func location(of descriptor: RepositoryDescriptor, in data: String) throws -> PostgresLocation {
        do { return try PostgresLocation(url: descriptor.database ?? "") } catch {
            throw StoreError.corrupt("\(RepositoryDescriptor.path(in: data)): \(error)")
        }
    }
}

/// Whether this process can write a folder the way the repository does: make a file, sync it,
/// rename it, remove it. A folder every node shares must pass on every node.
public enum WritableFolder {
    public static func check(_ folder: String) throws(StoreError) {
        let probe = (folder as NSString).appendingPathComponent(".sohoa-write-check-\(getpid())-\(UUID().uuidString.prefix(8))")
        let renamed = probe + ".renamed"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .storage("\(folder): the repository folder cannot be written by this user (\(reason)); every node that files "
                           + "documents must be able to write it")
        }
        let wrote = write(descriptor, "sohoa", 5) == 5 && fsync(descriptor) == 0
        close(descriptor)
        let moved = wrote && rename(probe, renamed) == 0
        unlink(moved ? renamed : probe)
        guard moved else {
            throw .storage("\(folder): the repository folder takes no data (\(String(cString: strerror(errno)))): a full disk or "
                           + "a read-only mount; every node that files documents must be able to write it")
        }
    }
}
