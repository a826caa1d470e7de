import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SohoaCrypto
import SohoaPipeline
import SohoaService

/// `GET /`: the centre's status page, as `sohoa status` shows it — queues, throughput,
/// failures with their reasons, what waits for signature and approval, the nodes — refreshing
/// itself every 15 seconds, Vietnamese first. A person signs in with their token (`POST
/// /login`) and gets a session cookie; `POST /logout` ends it.
struct StatusPageRoutes: Sendable {
    let service: RepositoryService
    let gate: Gate
    let sessions: Sessions
    let access: AccessService
    /// Whether the service runs HTTPS (the cookie is then sent over HTTPS only).
    let secure: Bool

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/") { request, context in await page(request, context) }
        router.post("login") { request, context in await login(request, context) }
        router.post("logout") { request, _ in await logout(request) }
    }

    func page(_ request: Request, _ context: ServiceRequestContext) async -> Response {
        await gate.forAnyone(context, failure: PublicCheckRoutes.problemPage) { () async throws -> Response in
            guard let id = Self.sessionID(request), let (principal, grant) = await sessions.principal(id) else {
                return Self.loginPage(message: nil, status: .ok)
            }
            guard try await access.isInForce(key: grant) else {
                await sessions.close(id)
                return Self.loginPage(message: ("Quyền truy cập đã bị thu hồi.", "The access has been revoked."), status: .unauthorized)
            }
            let status = try await service.status(as: principal)
            return PublicCheckRoutes.page("status", StatusPage.values(status, principal: principal))
        }
    }

    func login(_ request: Request, _ context: ServiceRequestContext) async -> Response {
        await gate.forAnyone(context, failure: PublicCheckRoutes.problemPage) { () async throws -> Response in
            let body = try await IncomingBody.collect(request, limit: 4096)
            let form = Self.formFields(String(decoding: body.readableBytesView, as: UTF8.self))
            let principal: Principal
            do {
                principal = try await gate.authenticator.principal(authorization: "Bearer " + (form["token"] ?? ""),
                                                                  client: context.clientAddress)
            } catch {
                if let refusal = error as? ServiceError, case .tooManyRequests = refusal { throw refusal }
                return Self.loginPage(message: ("Mã truy cập không hợp lệ.", "The token is not valid."), status: .unauthorized)
            }
            guard principal.may(.readStatus) else {
                return Self.loginPage(message: ("Vai trò của bạn không được xem tình trạng.", "Your roles may not see the status."),
                                      status: .forbidden)
            }
            let id = await sessions.open(for: principal, grant: AccessToken(form["token"] ?? "")?.key ?? "")
            return Response(status: .seeOther, headers: [
                .location: "/",
                .setCookie: "\(Sessions.cookie)=\(id); Path=/; HttpOnly; SameSite=Strict; Max-Age=28800\(secure ? "; Secure" : "")",
            ])
        }
    }

    func logout(_ request: Request) async -> Response {
        if let id = Self.sessionID(request) { await sessions.close(id) }
        return Response(status: .seeOther, headers: [.location: "/",
                                                      .setCookie: "\(Sessions.cookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"])
    }

    static func loginPage(message: (String, String)?, status: HTTPResponse.Status) -> Response {
        var values: [String: Any] = ["pageTitle": "Sohoa — Đăng nhập / Sign in", "verifiedAtLine": ""]
        if let message { values["messageVietnamese"] = message.0; values["messageEnglish"] = message.1 }
        return PublicCheckRoutes.page("login", values, status: status)
    }

    /// The session cookie's value, when the request carries one of the right form.
    static func sessionID(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == Sessions.cookie, Hex.isLowercase(parts[1], length: 64) {
                    return parts[1]
                }
            }
        }
        return nil
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}

/// The values the status page's template shows, in both languages, times local.
enum StatusPage {
    static func values(_ status: PipelineStatus, principal: Principal) -> [String: Any] {
        let intakeWords: [(String, String, String)] = [("received", "đang xử lý", "in progress"), ("filed", "đã lưu", "filed"),
                                                       ("duplicate", "trùng lặp", "duplicate"), ("rejected", "bị từ chối", "rejected")]
        return [
            "pageTitle": "Sohoa — Tình trạng / Status",
            "refresh": true,
            "actor": principal.actor,
            "time": PublicCheckPage.localTime(status.time),
            "intake": intakeWords.map { ["vietnamese": $0.1, "english": $0.2, "count": status.intake[$0.0] ?? 0] as [String: Any] },
            "refusedInInbox": status.refusedInInbox,
            "hasStages": !status.stages.isEmpty,
            "stages": status.stages.map { stage -> [String: Any] in
                ["stage": stage.stage, "queued": stage.queued, "running": stage.running, "done": stage.done, "failed": stage.failed,
                 "perMinute": stage.throughputPerMinute, "oldest": stage.oldestWaitingSeconds.map { "\($0) s" } ?? "—"]
            },
            "pending": status.documents["pending"] ?? 0, "signed": status.documents["signed"] ?? 0,
            "approved": status.documents["approved"] ?? 0,
            "hasFailures": !status.recentFailures.isEmpty,
            "failures": status.recentFailures.map { failure -> [String: Any] in
                ["time": PublicCheckPage.localTime(failure.time), "stage": failure.stage, "subject": failure.subject,
                 "attempts": failure.attempts,
                 "stateVietnamese": failure.state == "failed" ? "đã bỏ" : "sẽ thử lại",
                 "stateEnglish": failure.state == "failed" ? "failed" : "retrying",
                 "reasonVietnamese": failure.reasonVietnamese ?? failure.reason, "reasonEnglish": failure.reason]
            },
            "hasNodes": !status.nodes.isEmpty,
            "nodes": status.nodes.map { node -> [String: Any] in
                let (vietnamese, english) = switch node.state {
                case "running": ("đang chạy", "running")
                case "silent": ("mất liên lạc", "silent")
                default: ("đã dừng", "stopped")
                }
                return ["name": node.name, "busy": node.busyWorkers, "workers": node.workers, "seconds": node.lastSeenSeconds,
                        "stateVietnamese": vietnamese, "stateEnglish": english, "silent": node.state == "silent"]
            },
            "verifiedAtLine": "cập nhật lúc / updated at \(PublicCheckPage.localTime(status.time))",
        ]
    }
}
