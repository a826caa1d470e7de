import COpenSSL

/// An OpenSSL failure: what Sohoa was doing, and the reasons OpenSSL left in its error queue.
public struct OpenSSLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What Sohoa was trying to do, e.g. "reading the certificate officer.pem".
    public let operation: String
    /// OpenSSL's reason texts, oldest first (e.g. "mac verify failure").
    public let reasons: [String]

    public init(operation: String, reasons: [String]) {
        self.operation = operation
        self.reasons = reasons
    }

    /// Builds an error for `operation` from (and empties) this thread's OpenSSL error queue.
    public static func drain(_ operation: String) -> OpenSSLError {
        OpenSSLError(operation: operation, reasons: drainQueue())
    }

    /// Empties this thread's OpenSSL error queue and returns its reason texts.
    public static func drainQueue() -> [String] {
        var reasons: [String] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var text = ERR_reason_error_string(code).map { String(cString: $0) } ?? ""
            if text.isEmpty {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                text = String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
            }
            if let data, flags & ERR_TXT_STRING != 0 {
                let extra = String(cString: data)
                if !extra.isEmpty { text += " (\(extra))" }
            }
            if !reasons.contains(text) { reasons.append(text) }
        }
        return reasons
    }

    public var description: String {
        reasons.isEmpty ? "\(operation) failed" : "\(operation) failed: \(reasons.joined(separator: "; "))"
    }
}
