import Foundation
import SohoaFiles

/// What a repository folder says about where its records are: `DATA/repository.json`, written
/// by `sohoa repo init`. A folder without one is the embedded default (`DATA/sohoa.sqlite`), as
/// every repository made before there was a choice. The file never holds a password: only the
/// database's URL (which refuses one) and, optionally, the path of a password file outside the
/// folder that every node keeps at the same place.
public struct RepositoryDescriptor: Codable, Sendable, Equatable {
    /// Where the records are kept.
    public enum Engine: String, Codable, Sendable {
        /// `DATA/sohoa.sqlite`, on this machine.
        case sqlite
        /// A PostgreSQL server that every node reaches.
        case postgresql
    }

    /// The file's own format, for a later Sohoa to read an older file.
    public var format: Int
    /// The repository's identity, also kept in its database: a folder mounted on the wrong
    /// database is refused instead of mixing two repositories' blobs.
    public var id: String
    public var engine: Engine
    /// The PostgreSQL URL (`postgres://USER@HOST:PORT/DB`), for `postgresql`.
    public var database: String?
    /// A file holding the database password, for `postgresql` (a setting on a node may name another).
    public var passwordFile: String?

    public init(id: String = UUID().uuidString.lowercased(), engine: Engine, database: String? = nil, passwordFile: String? = nil) {
        format = 1
        self.id = id
        self.engine = engine
        self.database = database
        self.passwordFile = passwordFile
    }

    /// The file's name in the data folder.
    public static let fileName = "repository.json"

    public static func path(in data: String) -> String {
        (data as NSString).appendingPathComponent(fileName)
    }

    /// The descriptor of the repository in `data`; nil when the folder has none (the embedded
    /// default, or no repository at all).
    public static func read(in data: String) throws(StoreError) -> RepositoryDescriptor? {
        let path = path(in: data)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw .storage("\(path): the repository's description cannot be read")
        }
        let descriptor: RepositoryDescriptor
        do { descriptor = try JSONDecoder().decode(RepositoryDescriptor.self, from: bytes) } catch {
            throw .corrupt("\(path): the repository's description is damaged (\(error))")
        }
        guard descriptor.format == 1 else {
            throw .schemaTooNew("\(path): the repository was described by a newer version of Sohoa (format \(descriptor.format)); "
                                + "install the newer version")
        }
        if descriptor.engine == .postgresql, descriptor.database == nil {
            throw .corrupt("\(path): the repository's description names PostgreSQL but no database")
        }
        return descriptor
    }

    /// Writes the descriptor into `data` (a temporary name, synced, renamed; readable by every node).
    public func write(in data: String) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = Self.path(in: data)
        do {
            let bytes = try encoder.encode(self) + Data("\n".utf8)
            try DurableFile.replace(path) { temporary in
                try bytes.write(to: URL(fileURLWithPath: temporary))
                chmod(temporary, 0o644)
            }
        } catch {
            throw .storage("\(path): the repository's description cannot be written (\(error))")
        }
    }
}
