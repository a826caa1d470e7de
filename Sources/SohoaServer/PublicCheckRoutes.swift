import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SohoaRepository
import SohoaService

/// `/v/{code}` (HTML) and `/v/{code}.json`: the public check behind a document's QR code, for
/// anyone, without a login; `POST /v/{code}` compares a copy with the filed version. Nothing of
/// the citizen is shown (`PublicCheck`), and the requests are limited per client address.
struct PublicCheckRoutes: Sendable {
    let service: RepositoryService
    let gate: Gate
    let limits: RepositoryServer.Limits

    /// Headers of every page: no scripts, no framing, no referrer carrying the code elsewhere.
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("v/{code}") { request, context in await check(request, context) }
        router.post("v/{code}") { request, context in await compare(request, context) }
    }

    /// `GET /v/{code}` and `/v/{code}.json`.
    func check(_ request: Request, _ context: ServiceRequestContext) async -> Response {
        let (text, asJSON) = Self.codeText(context)
        return await gate.forAnyone(context, failure: asJSON ? HTTPAnswer.failure : Self.problemPage) {
            try await checkAnswer(text, asJSON: asJSON)
        }
    }

    func checkAnswer(_ text: String, asJSON: Bool) async throws -> Response {
        ServiceCounters.publicCheck()
        let check = try await service.publicCheck(try Self.code(text))
        if asJSON { return HTTPAnswer.json(check, headers: [.cacheControl: "no-store"]) }
        return Self.page("check", PublicCheckPage.values(check))
    }

    /// `POST /v/{code}`: a copy (a form's file, or a raw PDF) compared with the filed version.
    func compare(_ request: Request, _ context: ServiceRequestContext) async -> Response {
        let (text, asJSON) = Self.codeText(context)
        return await gate.forAnyone(context, failure: asJSON ? HTTPAnswer.failure : Self.problemPage) {
            try await compareAnswer(request, text, asJSON: asJSON)
        }
    }

    func compareAnswer(_ request: Request, _ text: String, asJSON: Bool) async throws -> Response {
        let code = try Self.code(text)
        let upload = try await uploadedCopy(request)
        let comparison = try await IncomingBody.withTemporaryFile(upload) { path in
            try await service.compare(upload: path, with: code)
        }
        if asJSON { return HTTPAnswer.json(comparison) }
        let check = try await service.publicCheck(code)
        return Self.page("compare", PublicCheckPage.values(comparison, of: check))
    }

    /// The copy sent: the form's file, or the whole body.
    func uploadedCopy(_ request: Request) async throws -> [UInt8] {
        let body = Array(try await IncomingBody.collect(request, limit: limits.uploadBytes, within: limits.bodySeconds).readableBytesView)
        guard IncomingBody.mediaType(request) == "multipart/form-data" else { return body }
        guard let form = MultipartForm(contentType: request.headers[.contentType] ?? "", body: body), let file = form.file("file") else {
            throw ServiceError.invalidInput("choose the PDF file to compare")
        }
        return file.bytes
    }

    /// The code in the path, and whether JSON was asked for (`/v/{code}.json`).
    static func codeText(_ context: ServiceRequestContext) -> (String, json: Bool) {
        let text = context.parameters.get("code") ?? ""
        return text.hasSuffix(".json") ? (String(text.dropLast(5)), true) : (text, false)
    }

    static func code(_ text: String) throws(ServiceError) -> PublicCode {
        do { return try PublicCode(text) } catch { throw .notFound("there is no document with this check code") }
    }

    static func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = PageTemplates.library.render(values, withTemplate: template) ?? ""
        return Response(status: status, headers: pageHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A refusal as a page, in both languages, with the status of its kind.
    static func problemPage(_ error: ServiceError) -> Response {
        let (vietnamese, english): (String, String) = switch error {
        case .notFound: ("Không có tài liệu nào với mã kiểm tra này.", "There is no document with this check code.")
        case .tooLarge: ("Tệp quá lớn.", "The file is too large.")
        case .tooManyRequests: ("Quá nhiều yêu cầu; xin thử lại sau một phút.", "Too many requests; try again in a minute.")
        case .invalidInput: ("Yêu cầu không hợp lệ: hãy chọn tệp PDF.", "The request is not valid: choose a PDF file.")
        case .unavailable: ("Hệ thống tạm thời không trả lời được; xin thử lại sau.", "The service cannot answer just now; try again later.")
        default: ("Không kiểm tra được tài liệu lúc này.", "The document cannot be checked just now.")
        }
        return page("problem", ["pageTitle": "Kiểm tra tài liệu / Document check", "messageVietnamese": vietnamese,
                                "messageEnglish": english, "verifiedAtLine": ""], status: HTTPAnswer.status(of: error))
    }
}

/// The values the public check templates show, in both languages, times local with their offset.
enum PublicCheckPage {
    static func values(_ check: PublicCheck) -> [String: Any] {
        let (verdictClass, vietnamese, english) = verdict(check)
        return [
            "pageTitle": "\(check.title ?? "Tài liệu") — Kiểm tra tài liệu / Document check",
            "code": check.code,
            "title": check.title ?? "—", "type": check.type ?? "—", "agency": check.agency ?? "—", "dossier": check.dossier ?? "—",
            "issued": localTime(check.issued),
            "stateVietnamese": stateWords(check.state).0, "stateEnglish": stateWords(check.state).1,
            "sha256": check.sha256,
            "verdictClass": verdictClass, "verdictVietnamese": vietnamese, "verdictEnglish": english,
            "signatures": check.signatures.map { signature -> [String: Any] in
                let words = verdictWords(signature.verdict)
                var values: [String: Any] = [
                    "signer": signature.signer ?? "—", "time": signature.time.map(localTime) ?? "—",
                    "verdictVietnamese": words.0, "verdictEnglish": words.1,
                    "kindVietnamese": signature.type == "signature" ? "Người ký" : "Dấu thời gian tài liệu",
                    "kindEnglish": signature.type == "signature" ? "Signer" : "Document time-stamp",
                ]
                if let organization = signature.organization { values["organization"] = organization }
                if signature.timeProven { values["timeProven"] = true }
                return values
            },
            "verifiedAtLine": "kiểm tra lúc / verified at \(localTime(check.verifiedAt))",
        ]
    }

    static func values(_ comparison: PublicComparison, of check: PublicCheck) -> [String: Any] {
        let (verdictClass, vietnamese, english): (String, String, String) =
            if comparison.identical {
                ("good", "Bản sao trùng khớp từng byte với bản đã lưu.", "The copy is byte for byte the filed version.")
            } else if let older = comparison.olderVersion {
                ("unsure", "Bản sao là phiên bản cũ (\(older)) của tài liệu, không phải bản mới nhất.",
                 "The copy is an older version (\(older)) of the document, not the newest.")
            } else {
                ("bad", "Bản sao KHÁC bản đã lưu.", "The copy DIFFERS from the filed version.")
            }
        return ["pageTitle": "So sánh bản sao / Copy comparison", "code": check.code, "title": check.title ?? "—",
                "verdictClass": verdictClass, "verdictVietnamese": vietnamese, "verdictEnglish": english,
                "uploadedSha256": comparison.uploadedSha256, "filedSha256": comparison.filedSha256,
                "verifiedAtLine": "kiểm tra lúc / verified at \(localTime(check.verifiedAt))"]
    }

    /// The page's headline: whether the document may be relied on, and if not why.
    static func verdict(_ check: PublicCheck) -> (String, String, String) {
        switch check.state {
        case "revoked": return ("bad", "Tài liệu đã bị THU HỒI và không còn giá trị.", "This document has been REVOKED and is no longer valid.")
        case "superseded": return ("bad", "Tài liệu đã được THAY THẾ bằng một văn bản khác.", "This document has been SUPERSEDED by another.")
        default: break
        }
        switch check.verdict {
        case "valid": return ("good", "Tài liệu hợp lệ: mọi chữ ký số đều hợp lệ.", "Valid: every digital signature is valid.")
        case "invalid": return ("bad", "KHÔNG hợp lệ: có chữ ký số không hợp lệ.", "NOT valid: a digital signature is invalid.")
        case "unsigned": return ("unsure", "Tài liệu chưa được ký số.", "The document is not digitally signed yet.")
        default: return ("unsure", "Chưa xác định được: không chứng minh được chữ ký hợp lệ.",
                         "Undetermined: the signatures could not be shown valid.")
        }
    }

    static func verdictWords(_ verdict: String) -> (String, String) {
        switch verdict {
        case "valid": ("Hợp lệ", "Valid")
        case "invalid": ("Không hợp lệ", "Invalid")
        default: ("Chưa xác định", "Undetermined")
        }
    }

    static func stateWords(_ state: String) -> (String, String) {
        switch state {
        case "pending": ("Chờ ký", "Waiting for signature")
        case "signed": ("Đã ký", "Signed")
        case "approved": ("Đã phê duyệt", "Approved")
        case "superseded": ("Đã bị thay thế", "Superseded")
        case "revoked": ("Đã bị thu hồi", "Revoked")
        default: (state, state)
        }
    }

    /// An ISO 8601 time as local time with its offset (the zone of `TZ`; the centre runs in
    /// Asia/Ho_Chi_Minh), or the text as it is when it is not a time (an issue date).
    static func localTime(_ text: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: text) else { return text }
        return localTime(date)
    }

    static func localTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
