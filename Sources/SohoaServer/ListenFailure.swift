import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Why a server could not start listening, in words an operator acts on.
public enum ListenFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another program already listens on the port.
    case addressInUse(ListenAddress)
    /// The port is reserved (below 1024) and the program may not use it.
    case permissionDenied(ListenAddress)
    /// The host is not an address of this machine.
    case addressNotAvailable(ListenAddress)
    /// Anything else the system said.
    case other(ListenAddress, reason: String)

    /// The failure for `error`, thrown while binding to `address`; nil when it is not a listening error.
    static func from(_ error: any Error, address: ListenAddress) -> ListenFailure? {
        guard let failure = error as? IOError else { return nil }
        switch failure.errnoCode {
        case EADDRINUSE: return .addressInUse(address)
        case EACCES: return .permissionDenied(address)
        case EADDRNOTAVAIL: return .addressNotAvailable(address)
        default: return .other(address, reason: String(cString: strerror(failure.errnoCode)))
        }
    }

    public var description: String {
        switch self {
        case .addressInUse(let address):
            return "port \(address) is already in use by another program; stop it, or choose another port"
        case .permissionDenied(let address):
            return "this program may not listen on \(address) (ports below 1024 need privileges); choose a port above 1024"
        case .addressNotAvailable(let address):
            return "\(address.host) is not an address of this machine"
        case .other(let address, let reason):
            return "cannot listen on \(address): \(reason)"
        }
    }
}
