import Foundation
import SohoaCrypto
import SohoaRepository

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of `sohoa serve`'s API (`/api/v1`), for what an officer's machine does with the
/// central repository: list what waits, fetch a version, send a signed one. The token is sent
/// as a bearer token and never written anywhere.
public struct RepositoryClient: Sendable {
    public let base: URL
    private let token: String

    public init(base: URL, token: String) {
        self.base = base
        self.token = token
    }

    /// What the service answered when it refused: its status, the error's code and message.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let status: Int
        public let code: String
        public let message: String

        public var description: String { "the repository service answered \(status) (\(code)): \(message)" }
    }

    /// The documents in `state`, of one citizen, one case, or all.
    public func documents(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document] {
        var query = [URLQueryItem(name: "state", value: state.rawValue)]
        if let owner { query.append(URLQueryItem(name: "citizen", value: owner.description)) }
        if let dossier { query.append(URLQueryItem(name: "case", value: dossier.rawValue)) }
        struct Listing: Decodable {
            struct Listed: Decodable {
                let id: DocumentID, citizen: String, cases: [String], type: String?, title: String?, state: DocumentState
                let sha256: ContentHash, created: Date
            }
            let documents: [Listed]
        }
        let listing: Listing = try decode(try await send("api/v1/documents", query: query))
        return listing.documents.map {
            Document(id: $0.id, owner: $0.citizen, type: $0.type, title: $0.title, issued: nil, validUntil: nil, state: $0.state,
                     created: $0.created, cases: $0.cases, latest: $0.sha256)
        }
    }

    /// A document's state, its newest version, its public check code and its case's procedure.
    public func newest(of id: DocumentID) async throws
        -> (state: DocumentState, version: DocumentVersion, publicCode: PublicCode?, procedure: String?) {
        struct Shown: Decodable {
            struct Listed: Decodable { let state: DocumentState }
            let document: Listed
            let versions: [DocumentVersion]
            let publicCode: String?
            let procedure: String?
        }
        let shown: Shown = try decode(try await send("api/v1/documents/\(id)"))
        guard let newest = shown.versions.last else { throw Refusal(status: 200, code: "corrupt", message: "document \(id) has no version") }
        return (shown.document.state, newest, shown.publicCode.flatMap { try? PublicCode($0) }, shown.procedure)
    }

    /// Writes version `number` of document `id` to `path`, checked against `hash`.
    public func download(_ id: DocumentID, version number: Int, expecting hash: ContentHash, to path: String) async throws {
        let (data, _) = try await send("api/v1/documents/\(id)/versions/\(number)")
        guard ContentHash(digest: SHA256.digest(Array(data))) == hash else {
            throw Refusal(status: 200, code: "damaged", message: "version \(number) of document \(id) arrived damaged (its SHA-256 is not \(hash))")
        }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.storage("\(path): the fetched version cannot be written")
        }
    }

    /// Sends the signed PDF at `path` as the next version of document `id`, made from `parent`.
    public func upload(_ path: String, of id: DocumentID, madeFrom parent: ContentHash) async throws -> DocumentVersion {
        guard let body = FileManager.default.contents(atPath: path) else { throw StoreError.storage("\(path): the signed copy cannot be read") }
        struct Filed: Decodable { let version: DocumentVersion }
        let filed: Filed = try decode(try await send("api/v1/documents/\(id)/versions", method: "POST", body: body,
                                                     headers: ["Content-Type": "application/pdf", "If-Match": "\"\(parent)\""]))
        return filed.version
    }

    /// Sends a request; a status other than 2xx is thrown as a `Refusal`.
    func send(_ path: String, query: [URLQueryItem] = [], method: String = "GET", body: Data? = nil,
              headers: [String: String] = [:]) async throws -> (Data, HTTPURLResponse) {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else { throw Refusal(status: 0, code: "usage", message: "\(base)\(path) is not a URL") }
        var request = URLRequest(url: url, timeoutInterval: 120)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let data: Data, response: URLResponse
        do { (data, response) = try await Self.session.data(for: request) } catch {
            throw StoreError.unavailable("the repository service at \(base) cannot be reached (\(error.localizedDescription))")
        }
        guard let http = response as? HTTPURLResponse else { throw Refusal(status: 0, code: "protocol", message: "not an HTTP answer") }
        guard (200..<300).contains(http.statusCode) else {
            struct Failure: Decodable { struct Detail: Decodable { let code: String, message: String }; let error: Detail }
            let failure = try? JSONDecoder().decode(Failure.self, from: data)
            throw Refusal(status: http.statusCode, code: failure?.error.code ?? "http-\(http.statusCode)",
                          message: failure?.error.message ?? String(decoding: data.prefix(200), as: UTF8.self))
        }
        return (data, http)
    }

    /// The HTTP session: a branch's link may be slow, and a signing batch waits for every answer
    /// rather than give up on a busy service after URLSession's default minute.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = 300
        configuration.timeoutIntervalForResource = 900
        return URLSession(configuration: configuration)
    }()

    func decode<T: Decodable>(_ answer: (Data, HTTPURLResponse)) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(T.self, from: answer.0) } catch {
            throw Refusal(status: answer.1.statusCode, code: "protocol", message: "the answer is not what the API describes (\(error))")
        }
    }
}

/// The central repository through `sohoa serve`: waiting documents listed by the service, each
/// newest version fetched into the work folder and checked, the signed copy sent back with the
/// version it was made from; the service files it only if the document is still as it was.
public struct RemoteDesk: SigningDesk {
    public let client: RepositoryClient
    public let workFolder: String

    public init(client: RepositoryClient, workFolder: String) {
        self.client = client
        self.workFolder = workFolder
    }

    public func waiting(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document] {
        try await client.documents(in: state, owner: owner, dossier: dossier)
    }

    public func fetch(_ document: Document, whileIn state: DocumentState, into work: String) async throws -> FetchedVersion? {
        let newest = try await client.newest(of: document.id)
        guard newest.state == state else { return nil }
        let version = newest.version
        let path = "\(work)/.fetched-\(document.id)-\(UUID().uuidString.prefix(8)).pdf"
        try await client.download(document.id, version: version.number, expecting: version.hash, to: path)
        return FetchedVersion(path: path, hash: version.hash, isCopy: true, publicCode: newest.publicCode, procedure: newest.procedure,
                              isAssembled: version.kind == .assembled)
    }

    public func file(_ path: String, sha256: [UInt8], madeFrom fetched: FetchedVersion, of document: DocumentID, kind: VersionKind,
                     to: DocumentState, from: DocumentState, actor: String, action: String) async throws -> DocumentVersion {
        do { return try await client.upload(path, of: document, madeFrom: fetched.hash) } catch let refusal as RepositoryClient.Refusal
            where refusal.status == 412 || refusal.status == 409 {
            throw SigningDeskConflict(refusal.message)
        }
    }

    public func removeLeftovers() async {
        SigningWork.removeStale(in: workFolder) { $0.hasPrefix(".fetched-") || SigningWork.isSignedCopy($0) }
    }
}
