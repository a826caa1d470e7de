import CPKCS11
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What a slot's token says about itself.
public struct PKCS11TokenInfo: Equatable, Sendable {
    /// The slot the token sits in now (slot ids can change between runs; find tokens by label).
    public let slot: UInt
    /// The token's label, trailing spaces removed.
    public let label: String
    public let manufacturer: String
    public let model: String
    public let serialNumber: String
    /// Whether the token asks for a PIN before private-key use.
    public let loginRequired: Bool
}

/// A PKCS#11 module (a token driver such as SoftHSM2 or a USB token's library), loaded with
/// `dlopen` and called through its function list.
///
/// A module is initialised once per process and shared: `load(path:)` returns the same
/// instance for the same path. It is never finalised, because other parts of the process
/// may hold sessions on it.
public final class PKCS11Module: @unchecked Sendable {
    // Sendable: the function list is immutable after loading, and modules are initialised with
    // CKF_OS_LOCKING_OK, so the module itself serialises concurrent calls.

    /// The path the module was loaded from.
    public let path: String
    let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>

    private static let loaded = Mutex<[String: PKCS11Module]>([:])

    /// Loads and initialises the module at `path`, or returns the one already loaded.
    public static func load(path: String) throws(PKCS11Error) -> PKCS11Module {
        let result: Result<PKCS11Module, PKCS11Error> = loaded.withLock { modules in
            if let existing = modules[path] { return .success(existing) }
            let result = Result { () throws(PKCS11Error) -> PKCS11Module in try PKCS11Module(path: path) }
            if case .success(let module) = result { modules[path] = module }
            return result
        }
        return try result.get()
    }

    private init(path: String) throws(PKCS11Error) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw PKCS11Error(function: "the PKCS#11 module file does not exist", code: 0, context: path)
        }
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw PKCS11Error(function: "the PKCS#11 module cannot be loaded (\(reason))", code: 0, context: path)
        }
        guard let symbol = dlsym(library, "C_GetFunctionList") else {
            throw PKCS11Error(function: "this library is not a PKCS#11 module (no C_GetFunctionList)",
                              code: 0, context: path)
        }
        typealias GetFunctionList = @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CK_FUNCTION_LIST>?>?) -> CK_RV
        let getFunctionList = unsafeBitCast(symbol, to: GetFunctionList.self)
        var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
        let rv = getFunctionList(&list)
        guard rv == CKR_OK, let list else {
            throw PKCS11Error(function: "C_GetFunctionList", code: rv, context: path)
        }
        functions = list
        var arguments = CK_C_INITIALIZE_ARGS()
        arguments.flags = CK_FLAGS(CKF_OS_LOCKING_OK)
        let initialised = withUnsafeMutablePointer(to: &arguments) { pointer in
            list.pointee.C_Initialize(UnsafeMutableRawPointer(pointer))
        }
        guard initialised == CKR_OK || initialised == PKCS11Error.cryptokiAlreadyInitialized else {
            throw PKCS11Error(function: "C_Initialize", code: initialised, context: path)
        }
    }

    /// Every token present, in slot order.
    public func tokens() throws(PKCS11Error) -> [PKCS11TokenInfo] {
        var count: CK_ULONG = 0
        try check("C_GetSlotList", functions.pointee.C_GetSlotList(CK_BBOOL(CK_TRUE), nil, &count))
        var slots = [CK_SLOT_ID](repeating: 0, count: Int(count))
        try check("C_GetSlotList", functions.pointee.C_GetSlotList(CK_BBOOL(CK_TRUE), &slots, &count))
        var tokens: [PKCS11TokenInfo] = []
        for slot in slots.prefix(Int(count)) {
            var info = CK_TOKEN_INFO()
            try check("C_GetTokenInfo", functions.pointee.C_GetTokenInfo(slot, &info))
            tokens.append(PKCS11TokenInfo(
                slot: UInt(slot), label: Self.text(info.label), manufacturer: Self.text(info.manufacturerID),
                model: Self.text(info.model), serialNumber: Self.text(info.serialNumber),
                loginRequired: info.flags & CK_FLAGS(CKF_LOGIN_REQUIRED) != 0))
        }
        return tokens
    }

    /// The token labelled `label`.
    ///
    /// - Throws: `PKCS11Error` listing the labels present when there is no such token.
    public func token(labelled label: String) throws(PKCS11Error) -> PKCS11TokenInfo {
        let present = try tokens()
        guard let token = present.first(where: { $0.label == label }) else {
            let labels = present.map { "\"\($0.label)\"" }.joined(separator: ", ")
            throw PKCS11Error(function: "no token labelled \"\(label)\" is present"
                              + (labels.isEmpty ? " (no token at all)" : " (present: \(labels))"),
                              code: 0, context: path)
        }
        return token
    }

    /// Opens a read-only session on the token labelled `label`.
    public func openSession(tokenLabel label: String) throws(PKCS11Error) -> PKCS11Session {
        let token = try token(labelled: label)
        var session: CK_SESSION_HANDLE = 0
        try check("C_OpenSession", functions.pointee.C_OpenSession(
            CK_SLOT_ID(token.slot), CK_FLAGS(CKF_SERIAL_SESSION), nil, nil, &session), context: label)
        return PKCS11Session(module: self, handle: session, tokenLabel: label)
    }

    func check(_ function: String, _ rv: CK_RV, context: String = "") throws(PKCS11Error) {
        guard rv == CKR_OK else {
            throw PKCS11Error(function: function, code: UInt(rv), context: context.isEmpty ? path : context)
        }
    }

    /// A fixed-width, space-padded PKCS#11 text field as a Swift string.
    static func text<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            String(decoding: raw, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
        }
    }
}

/// A session with one token. Closed when released.
public final class PKCS11Session {
    public let module: PKCS11Module
    public let tokenLabel: String
    let handle: CK_SESSION_HANDLE

    init(module: PKCS11Module, handle: CK_SESSION_HANDLE, tokenLabel: String) {
        self.module = module
        self.handle = handle
        self.tokenLabel = tokenLabel
    }

    deinit {
        _ = module.functions.pointee.C_CloseSession(handle)
    }

    /// Logs the user in with `pin`. Being logged in already counts as success.
    ///
    /// The PIN is passed to the token and not kept; errors never contain it.
    public func login(pin: String) throws(PKCS11Error) {
        var bytes = Array(pin.utf8)
        defer { for index in bytes.indices { bytes[index] = 0 } }
        let rv = bytes.withUnsafeMutableBufferPointer { buffer in
            module.functions.pointee.C_Login(handle, CK_USER_TYPE(CKU_USER), buffer.baseAddress, CK_ULONG(buffer.count))
        }
        if UInt(rv) == PKCS11Error.userAlreadyLoggedIn { return }
        try module.check("C_Login", rv, context: "token \"\(tokenLabel)\"")
    }

    /// Logs the user out.
    public func logout() throws(PKCS11Error) {
        try module.check("C_Logout", module.functions.pointee.C_Logout(handle), context: "token \"\(tokenLabel)\"")
    }
}
