import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import CoreMetrics
import Prometheus
import SohoaService

/// `sohoa serve`: the repository on the network. The API under `/api/v1` (described at
/// `/openapi.json`) for people and systems holding a token, the public check page `/v/{code}`
/// behind each document's QR code, and `/healthz`. Every use goes through the use-case layer
/// (`RepositoryService`), which checks the roles and audits the reads and changes.
public struct RepositoryServer: Sendable {
    /// What one client may send and how fast.
    public struct Limits: Sendable {
        /// The largest PDF accepted (filing, verifying, comparing).
        public var uploadBytes = 64 * 1024 * 1024
        /// The largest JSON body accepted.
        public var jsonBytes = 64 * 1024
        /// Requests a second each principal (or, without a token, each client address) may make
        /// on average; 0 for no limit.
        public var requestsPerSecond: Double = 200
        /// Requests it may make at once beyond the average.
        public var burst: Double = 400
        /// Requests with a wrong token each client address may make in a minute.
        public var failedTokensPerMinute: Double = 30
        /// Seconds a connection may stay idle (a client that stops sending) before it is closed.
        public var idleSeconds: Int64 = 30
        /// Seconds a client has to send a whole body (four idle periods): one that trickles a byte
        /// now and then to hold the connection gets 408.
        public var bodySeconds: Double { Double(idleSeconds) * 4 }

        public init() {}
    }

    public let service: RepositoryService
    public let access: AccessService
    public let address: ListenAddress
    public let limits: Limits
    /// Certificate and key to serve HTTPS with; nil for plain HTTP. When client certificates
    /// may sign in, it asks clients for one issued by their authorities (optional).
    public let tls: TLSConfiguration?
    /// Checks the client certificates that stand in for tokens; nil when none may.
    public let clientCertificates: ClientCertificateCheck?
    /// Where the metrics go (swift-metrics bootstrapped with it); nil for no `/metrics`.
    public let metrics: PrometheusCollectorRegistry?

    public init(service: RepositoryService, address: ListenAddress, limits: Limits = Limits(), tls: TLSConfiguration? = nil,
                clientCertificates: ClientCertificateCheck? = nil, metrics: PrometheusCollectorRegistry? = nil) {
        self.service = service
        access = AccessService(store: service.repository.store)
        self.address = address
        self.limits = limits
        self.tls = tls
        self.clientCertificates = tls == nil ? nil : clientCertificates
        self.metrics = metrics
    }

    /// A registry for `metrics`, with swift-metrics sending everything to it. Once per process.
    public static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// The routes, separate from the listener.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: MethodCheck())
        if metrics != nil { router.add(middleware: MetricsMiddleware()) }
        let gate = Gate(authenticator: Authenticator(access: access, certificates: clientCertificates,
                                                     failedAttemptsPerMinute: limits.failedTokensPerMinute),
                        rates: RateLimiter(perSecond: limits.requestsPerSecond, burst: limits.burst))
        router.get("/healthz") { _, _ in HTTPAnswer.json(["status": "ok"]) }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: HTTPAnswer.jsonType],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        APIRoutes(service: service, gate: gate, limits: limits).add(to: router)
        PublicCheckRoutes(service: service, gate: gate, limits: limits).add(to: router)
        StatusPageRoutes(service: service, gate: gate, sessions: Sessions(), access: access, secure: tls != nil).add(to: router)
        if let metrics { MetricsRoutes(service: service, gate: gate, registry: metrics).add(to: router) }
        return router
    }

    /// Every path and the methods it answers; any other method is answered 405 with `Allow`.
    static let methods: [(path: String, allowed: [HTTPRequest.Method])] = [
        ("/healthz", [.get]), ("/openapi.json", [.get]),
        ("/api/v1/documents", [.get, .post]), ("/api/v1/documents/{id}", [.get]),
        ("/api/v1/documents/{id}/versions/{number}", [.get]),
        ("/api/v1/documents/{id}/versions", [.post]), ("/api/v1/documents/{id}/reuse", [.post]),
        ("/api/v1/search", [.get]), ("/api/v1/verify", [.post]), ("/api/v1/status", [.get]), ("/v/{code}", [.get, .post]),
        ("/", [.get]), ("/login", [.post]), ("/logout", [.post]), ("/metrics", [.get]),
    ]

    /// The methods `path` answers; nil when no route has that path.
    static func allowedMethods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return methods.first { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == segments.count && zip(pattern, segments).allSatisfy { expected, given in
                expected.hasPrefix("{") ? !given.isEmpty : expected == given
            }
        }?.allowed
    }

    /// The TLS set-up. With client certificates, the handshake takes any certificate the client
    /// proves it holds the key of, and each request checks it (`ClientCertificateCheck`), so
    /// that a refused one is answered 401 with the reason rather than a bare TLS alert.
    private func tlsChannel(_ configuration: TLSConfiguration) -> TLSChannelConfiguration {
        guard clientCertificates != nil else { return TLSChannelConfiguration(tlsConfiguration: configuration) }
        return TLSChannelConfiguration(tlsConfiguration: configuration) { _, promise in promise.succeed(.certificateVerified) }
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    ///
    /// - Throws: `ListenFailure` when the address cannot be listened on.
    public func run(logger: Logger? = nil, onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(limits.idleSeconds)))
        let server = try tls.map { try HTTPServerBuilder.tls(http, configuration: tlsChannel($0)) } ?? http
        let application = Application(
            router: router(), server: server,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "Sohoa"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) },
            logger: logger)
        do {
            try await application.runService()
        } catch {
            throw ListenFailure.from(error, address: address) ?? error
        }
    }
}

/// What every request passes: who it is from and whether it comes too fast.
struct Gate: Sendable {
    let authenticator: Authenticator
    let rates: RateLimiter

    /// Runs `answer` for the principal of `request`, or answers the refusal: 401 without a valid
    /// token, 429 too fast, and every `ServiceError` by its kind.
    func withPrincipal(_ request: Request, _ context: ServiceRequestContext,
                       _ answer: (Principal) async throws -> Response) async -> Response {
        await answering(context) {
            let principal = try await authenticator.principal(authorization: request.headers[.authorization],
                                                              certificate: context.clientCertificate, client: context.clientAddress)
            guard await allowed(principal.actor) else {
                throw ServiceError.tooManyRequests("\(principal.actor) sends more requests than allowed; slow down")
            }
            return try await answer(principal)
        }
    }

    /// Runs `answer` for anyone (the public check), limited by client address.
    func forAnyone(_ context: ServiceRequestContext, failure: (ServiceError) -> Response = HTTPAnswer.failure,
                   _ answer: () async throws -> Response) async -> Response {
        await answering(context, failure: failure) {
            guard await allowed("address " + context.clientAddress) else {
                throw ServiceError.tooManyRequests("too many requests from this address; slow down")
            }
            return try await answer()
        }
    }

    /// Whether `client` may make a request now (without a wait for the limiter when there is no limit).
    private func allowed(_ client: String) async -> Bool {
        if rates.isUnlimited { return true }
        return await rates.allow(client)
    }

    /// `answer`'s response; an error is answered by its kind, and one that is not a
    /// `ServiceError` (a bug) as 500 without its details, which go to the log.
    private func answering(_ context: ServiceRequestContext, failure: (ServiceError) -> Response = HTTPAnswer.failure,
                           _ answer: () async throws -> Response) async -> Response {
        do { return try await answer() } catch let error as ServiceError {
            return failure(error)
        } catch {
            context.logger.error("request failed: \(error)")
            return failure(.damaged("the service failed to answer; the reason is in its log"))
        }
    }
}

/// Answers 405, with the methods it does answer in `Allow`, a request whose path is a route's
/// but whose method is none of that route's (HEAD goes with GET). The router finds no route for
/// such a request (404), so only a 404 is looked at again: the requests that do reach a route
/// pay nothing for the check.
struct MethodCheck: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: ServiceRequestContext,
                next: (Request, ServiceRequestContext) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status == .notFound else { return response }
            return Self.refusal(of: request) ?? response
        } catch let error as HTTPError where error.status == .notFound {
            if let refusal = Self.refusal(of: request) { return refusal }
            throw error
        }
    }

    /// The 405 for `request` when its path is a route's and its method none of that route's.
    static func refusal(of request: Request) -> Response? {
        guard let allowed = RepositoryServer.allowedMethods(for: request.uri.path) else { return nil }
        let answered = allowed + (allowed.contains(.get) ? [.head] : [])
        guard !answered.contains(request.method) else { return nil }
        let allow = answered.map(\.rawValue).joined(separator: ", ")
        var answer = HTTPAnswer.failure(.methodNotAllowed("\(request.uri.path) answers \(allow)"))
        answer.headers[.allow] = allow
        return answer
    }
}
