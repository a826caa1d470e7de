import Hummingbird
import NIOCore
import SohoaCrypto

/// The RFC 3161 time-stamp authority over HTTP (RFC 3161 section 3.4): requests are posted to
/// `/` as `application/timestamp-query`; answers are `application/timestamp-reply`.
public struct TimeStampServer: Sendable {
    /// Requests larger than this are refused before they are read (a TimeStampReq is ~100 bytes).
    public static let maximumRequestBytes = 64 * 1024

    public let authority: TimeStampAuthority
    public let address: ListenAddress

    public init(authority: TimeStampAuthority, address: ListenAddress) {
        self.authority = authority
        self.address = address
    }

    /// The routes, separate from the listener so they can be tested on their own.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let authority = self.authority
        router.post("/") { request, _ -> Response in
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/timestamp-query") == true else {
                return Response(status: .unsupportedMediaType, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "send application/timestamp-query\n")))
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maximumRequestBytes)
            } catch {
                return Response(status: .contentTooLarge)
            }
            let reply = authority.respond(to: Array(buffer: body))
            return Response(status: .ok, headers: [.contentType: "application/timestamp-reply"],
                            body: .init(byteBuffer: ByteBuffer(bytes: reply)))
        }
        return router
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    ///
    /// - Throws: `ListenFailure` when the address cannot be listened on (a busy port, …).
    public func run(onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "Sohoa TSA"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) }
        )
        do {
            try await application.runService()
        } catch {
            throw ListenFailure.from(error, address: address) ?? error
        }
    }
}
