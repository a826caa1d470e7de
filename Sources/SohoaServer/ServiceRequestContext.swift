import Hummingbird
import NIOCore

/// The context of one request to `sohoa serve`: what Hummingbird keeps, and the client's
/// address (for rate limits on requests that carry no token).
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text ("unknown" when the channel has none).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
