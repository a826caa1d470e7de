import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SohoaCrypto
import SohoaPipeline
import SohoaRepository
import SohoaService
import SohoaVerification

/// `/api/v1`: the repository for people and systems holding a token. Each route reads and
/// checks its input, calls one use case, and answers what the command line's `--json` prints.
struct APIRoutes: Sendable {
    let service: RepositoryService
    let gate: Gate
    let limits: RepositoryServer.Limits

    func add(to router: Router<ServiceRequestContext>) {
        let api = router.group("api/v1")
        api.get("documents") { request, context in
            await gate.withPrincipal(request, context) { principal in
                let documents = try await service.list(try query(request), as: principal)
                return Response(status: .ok, headers: [.contentType: HTTPAnswer.jsonType],
                                body: .init(byteBuffer: ListingJSON.encode(documents)))
            }
        }
        api.get("search") { request, context in
            await gate.withPrincipal(request, context) { principal in
                let (query, limit) = try search(request)
                return HTTPAnswer.json(try await service.search(query, limit: limit, as: principal))
            }
        }
        api.post("documents") { request, context in
            await gate.withPrincipal(request, context) { principal in try await file(request, as: principal) }
        }
        api.get("documents/{id}") { request, context in
            await gate.withPrincipal(request, context) { principal in
                return HTTPAnswer.json(try await service.show(try documentID(context), servingCase: try servingCase(request),
                                                              as: principal))
            }
        }
        api.get("documents/{id}/versions/{number}") { request, context in
            await gate.withPrincipal(request, context) { principal in
                let id = try documentID(context)
                guard let number = context.parameters.get("number").flatMap(Int.init), number >= 1 else {
                    throw ServiceError.invalidInput("a version number counts from 1")
                }
                let (version, path) = try await service.version(id, number: number, servingCase: try servingCase(request), as: principal)
                let body = try await FileIO().loadFile(path: path, context: context)
                return Response(status: .ok, headers: [
                    .contentType: version.kind == .source ? "application/octet-stream" : "application/pdf",
                    .contentDisposition: "attachment; filename=\"\(id)-\(version.number)\(version.kind == .source ? "" : ".pdf")\"",
                    HTTPField.Name("X-Content-SHA256")!: version.hash.rawValue,
                    HTTPField.Name("Repr-Digest")!: "sha-256=:\(Data(Hex.bytes(version.hash.rawValue)).base64EncodedString()):",
                ], body: body)
            }
        }
        api.post("documents/{id}/versions") { request, context in
            await gate.withPrincipal(request, context) { principal in try await fileVersion(request, context, as: principal) }
        }
        api.post("documents/{id}/reuse") { request, context in
            await gate.withPrincipal(request, context) { principal in try await reuse(request, context, as: principal) }
        }
        api.post("verify") { request, context in
            await gate.withPrincipal(request, context) { principal in
                try principal.require(.verify)
                let name = try Self.uploadName(request)
                let body = try await IncomingBody.collect(request, limit: limits.uploadBytes, within: limits.bodySeconds)
                let report = try await IncomingBody.withTemporaryFile(body.readableBytesView) { path in
                    try service.verify(pdfAt: path, as: principal)
                }
                return HTTPAnswer.json(report.named(name))
            }
        }
        api.get("status") { request, context in
            await gate.withPrincipal(request, context) { principal in HTTPAnswer.json(try await service.status(as: principal)) }
        }
    }

    /// The filters of a listing, each checked: citizen, case, state, type.
    func query(_ request: Request) throws(ServiceError) -> DocumentQuery {
        let parameters = request.uri.queryParameters
        var query = DocumentQuery()
        do {
            query.owner = try parameters.get("citizen").map { text throws(IdentifierError) in try OwnerID(text) }
            query.dossier = try parameters.get("case").map { text throws(IdentifierError) in try DossierCode(text) }
        } catch {
            throw .invalidInput(error.description)
        }
        if let state = parameters.get("state") {
            guard let known = DocumentState(rawValue: state) else {
                throw .invalidInput("state is one of " + DocumentState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query.state = known
        }
        if let type = parameters.get("type") {
            guard type.count <= 200 else { throw .invalidInput("a document type is at most 200 characters") }
            query.type = type
        }
        return query
    }

    /// A search's words and filters (`q`, `citizen`, `case`) and how many documents to show
    /// (`limit`, 20 unless given), each checked.
    func search(_ request: Request) throws(ServiceError) -> (TextSearchQuery, Int) {
        let parameters = request.uri.queryParameters
        let listing = try query(request)
        var limit = 20
        if let text = parameters.get("limit") {
            guard let number = Int(text), (1...1000).contains(number) else { throw .invalidInput("limit is a number from 1 to 1000") }
            limit = number
        }
        do {
            return (try TextSearchQuery(parameters.get("q") ?? "", owner: listing.owner, dossier: listing.dossier), limit)
        } catch {
            throw .invalidInput(error.description)
        }
    }

    /// The document id in the path, checked.
    func documentID(_ context: ServiceRequestContext) throws(ServiceError) -> DocumentID {
        do { return try DocumentID(context.parameters.get("id") ?? "") } catch { throw .invalidInput(error.description) }
    }

    /// The case an agency's read serves (`?case=`), checked.
    func servingCase(_ request: Request) throws(ServiceError) -> DossierCode? {
        do { return try request.uri.queryParameters.get("case").map { text throws(IdentifierError) in try DossierCode(text) } } catch {
            throw .invalidInput(error.description)
        }
    }

    /// `POST /api/v1/documents`: a raw PDF (`application/pdf`, the fields in the query) or a
    /// form (`multipart/form-data`: a file and the fields citizen, case, type, title, procedure).
    func file(_ request: Request, as principal: Principal) async throws -> Response {
        try principal.require(.file)
        let body = try await IncomingBody.collect(request, limit: limits.uploadBytes, within: limits.bodySeconds)
        let pdf: [UInt8]
        let field: (String) -> String?
        switch IncomingBody.mediaType(request) {
        case "application/pdf":
            pdf = Array(body.readableBytesView)
            let parameters = request.uri.queryParameters
            field = { parameters.get($0) }
        case "multipart/form-data":
            guard let form = MultipartForm(contentType: request.headers[.contentType] ?? "", body: Array(body.readableBytesView)) else {
                throw ServiceError.invalidInput("the form is not well-formed multipart/form-data")
            }
            guard let file = form.file("file") else { throw ServiceError.invalidInput("the form has no file: send the PDF as the part \"file\"") }
            pdf = file.bytes
            field = { form.field($0) }
        default:
            throw ServiceError.invalidInput("send the PDF as application/pdf (fields in the query) or as multipart/form-data")
        }
        guard let citizen = field("citizen"), let dossierText = field("case") else {
            throw ServiceError.invalidInput("name the citizen and the case the document is filed for (citizen=…, case=…)")
        }
        let owner: OwnerID, dossier: DossierCode
        do {
            owner = try OwnerID(citizen)
            dossier = try DossierCode(dossierText)
        } catch { throw ServiceError.invalidInput(error.description) }
        let type = field("type"), title = field("title"), procedure = field("procedure")
        for (name, value) in [("type", type), ("title", title), ("procedure", procedure)] where (value?.count ?? 0) > 500 {
            throw ServiceError.invalidInput("\(name) is at most 500 characters")
        }
        let filed = try await IncomingBody.withTemporaryFile(pdf) { path in
            try await service.file(pdfAt: path, owner: owner, dossier: dossier, procedure: procedure, type: type, title: title,
                                   as: principal)
        }
        return HTTPAnswer.json(FiledDocument(filed, dossier: dossier), status: filed.duplicate ? .ok : .created)
    }

    /// `POST /api/v1/documents/{id}/versions`: a version signed on the signer's machine, with
    /// `If-Match: "HASH"` naming the version it was made from.
    func fileVersion(_ request: Request, _ context: ServiceRequestContext, as principal: Principal) async throws -> Response {
        try principal.require(anyOf: [.sign, .approve])
        let id = try documentID(context)
        guard let match = request.headers[.ifMatch] else {
            throw ServiceError.preconditionRequired("send If-Match: \"SHA-256\" with the hash of the version that was signed")
        }
        let parent: ContentHash
        do { parent = try ContentHash(match.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))) } catch {
            throw ServiceError.invalidInput("If-Match is the quoted SHA-256 of the version that was signed: \(error.description)")
        }
        guard IncomingBody.mediaType(request) == "application/pdf" else {
            throw ServiceError.invalidInput("send the signed PDF as application/pdf")
        }
        let body = try await IncomingBody.collect(request, limit: limits.uploadBytes, within: limits.bodySeconds)
        let (document, version) = try await IncomingBody.withTemporaryFile(body.readableBytesView) { path in
            try await service.fileSignedVersion(id, uploadedAt: path, madeFrom: parent, as: principal)
        }
        return HTTPAnswer.json(FiledVersion(document, version: version), status: .created)
    }

    /// `POST /api/v1/documents/{id}/reuse` with `{"case": CASE}`.
    func reuse(_ request: Request, _ context: ServiceRequestContext, as principal: Principal) async throws -> Response {
        try principal.require(.reuse)
        let id = try documentID(context)
        struct Asked: Decodable { let `case`: String }
        let body = try await IncomingBody.collect(request, limit: limits.jsonBytes, within: limits.bodySeconds)
        let asked: Asked
        do { asked = try JSONDecoder().decode(Asked.self, from: Data(body.readableBytesView)) } catch {
            throw ServiceError.invalidInput("send {\"case\": \"DOSSIER CODE\"} as JSON")
        }
        let dossier: DossierCode
        do { dossier = try DossierCode(asked.case) } catch { throw ServiceError.invalidInput(error.description) }
        do {
            let (document, report) = try await service.reuse(id, into: dossier, as: principal)
            return HTTPAnswer.json(ReuseOutcome(id: id.rawValue, case: dossier.rawValue, attached: true, cases: document.cases,
                                                verdict: report.verdict.rawValue, reason: nil))
        } catch let refusal as DocumentReuse.Refusal {
            if case .noSuchDocument = refusal.reason { throw ServiceError.notFound(refusal.description) }
            return HTTPAnswer.json(ReuseOutcome(id: id.rawValue, case: dossier.rawValue, attached: false, cases: nil,
                                                verdict: refusal.report?.verdict.rawValue, reason: refusal.description),
                                   status: .unprocessableContent)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(error)
        }
    }

    /// The name an upload is reported under: `?name=` (a file name: at most 255 characters, no
    /// folder and no control character), else `upload.pdf`.
    static func uploadName(_ request: Request) throws(ServiceError) -> String {
        guard let name = request.uri.queryParameters.get("name") else { return "upload.pdf" }
        let plain = name.unicodeScalars.allSatisfy { !CharacterSet.controlCharacters.contains($0) && $0 != "/" && $0 != "\\" }
        guard plain, (1...255).contains(name.count) else {
            throw .invalidInput("name is a file name of 1 to 255 characters, without folders or control characters")
        }
        return name
    }
}
