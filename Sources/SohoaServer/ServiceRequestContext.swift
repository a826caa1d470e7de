import Hummingbird
import NIOCore
import NIOSSL

/// The context of one request to `sohoa serve`: what Hummingbird keeps, the client's address
/// (for rate limits on requests that carry no token), and its connection (for the certificate
/// it presented over TLS).
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    private let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The certificate the client presented in the TLS handshake (DER), which the handshake
    /// checked against the configured authorities; nil over plain HTTP or when it presented none.
    func clientCertificate() async -> [UInt8]? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        return try? certificate.toDERBytes()
    }

    /// The client's IP address as text ("unknown" when the channel has none).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
