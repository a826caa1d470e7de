/// A PKCS#11 call that failed, with the return code's name and what it means for an officer.
public struct PKCS11Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The PKCS#11 function, e.g. "C_Login"; or the loading step.
    public let function: String
    /// The CK_RV return value (0 when the failure is not a PKCS#11 return code).
    public let code: UInt
    /// Extra context (the module path, the token label), never a PIN.
    public let context: String

    public init(function: String, code: UInt, context: String = "") {
        self.function = function
        self.code = code
        self.context = context
    }

    /// The CKR_ constant's name, e.g. "CKR_PIN_INCORRECT".
    public var codeName: String {
        Self.names[code]?.name ?? String(format: "CKR 0x%08lX", code)
    }

    /// What the code means, in plain words.
    public var meaning: String {
        Self.names[code]?.meaning ?? "the token reported an error"
    }

    public var description: String {
        let prefix = context.isEmpty ? "" : "\(context): "
        if function.hasPrefix("C_") {
            return "\(prefix)\(meaning) (\(function) returned \(codeName))"
        }
        return "\(prefix)\(function)"
    }

    static let userAlreadyLoggedIn: UInt = 0x100
    static let pinIncorrect: UInt = 0xA0
    static let cryptokiAlreadyInitialized: UInt = 0x191

    private static let names: [UInt: (name: String, meaning: String)] = [
        0x00: ("CKR_OK", "no error"),
        0x03: ("CKR_SLOT_ID_INVALID", "the token's slot does not exist"),
        0x05: ("CKR_GENERAL_ERROR", "the token module failed"),
        0x06: ("CKR_FUNCTION_FAILED", "the token could not carry out the request"),
        0x07: ("CKR_ARGUMENTS_BAD", "the request to the token was malformed"),
        0x30: ("CKR_DEVICE_ERROR", "the token device reported a fault"),
        0x31: ("CKR_DEVICE_MEMORY", "the token is out of memory"),
        0x32: ("CKR_DEVICE_REMOVED", "the token was removed"),
        0x60: ("CKR_KEY_HANDLE_INVALID", "the key on the token cannot be used"),
        0x70: ("CKR_MECHANISM_INVALID", "the token does not support this signature algorithm"),
        0x82: ("CKR_OBJECT_HANDLE_INVALID", "an object on the token cannot be found"),
        0xA0: ("CKR_PIN_INCORRECT", "the PIN is wrong"),
        0xA1: ("CKR_PIN_INVALID", "the PIN contains characters the token does not accept"),
        0xA2: ("CKR_PIN_LEN_RANGE", "the PIN is too short or too long for this token"),
        0xA3: ("CKR_PIN_EXPIRED", "the PIN has expired; change it with the token's own tool"),
        0xA4: ("CKR_PIN_LOCKED", "the token is locked after too many wrong PINs; ask the security officer"),
        0xB0: ("CKR_SESSION_CLOSED", "the session with the token was closed"),
        0xB3: ("CKR_SESSION_HANDLE_INVALID", "the session with the token is no longer valid"),
        0xE0: ("CKR_TOKEN_NOT_PRESENT", "no token is inserted"),
        0xE1: ("CKR_TOKEN_NOT_RECOGNIZED", "the token is not recognised"),
        0x100: ("CKR_USER_ALREADY_LOGGED_IN", "already logged in"),
        0x101: ("CKR_USER_NOT_LOGGED_IN", "log in to the token first"),
        0x102: ("CKR_USER_PIN_NOT_INITIALIZED", "the token's user PIN has not been set"),
        0x150: ("CKR_BUFFER_TOO_SMALL", "the answer did not fit"),
        0x190: ("CKR_CRYPTOKI_NOT_INITIALIZED", "the token module was not initialised"),
        0x191: ("CKR_CRYPTOKI_ALREADY_INITIALIZED", "the token module was already initialised"),
    ]
}
