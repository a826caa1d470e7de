#if canImport(Glibc)
import Glibc
#endif

/// File names as the file system keeps them: bytes, which need not be UTF-8 (a scanner or a
/// share set to another code page writes such names). Foundation cannot name those files (it
/// drops or replaces the bytes that are not text), so the inbox is read here, by bytes.
enum FileNames {
    /// The names in the folder at `path` (without `.` and `..`), as bytes; nil when it cannot be
    /// read.
    static func entries(of path: [UInt8]) -> [[UInt8]]? {
        guard let folder = withCPath(path, { opendir($0) }) else { return nil }
        defer { closedir(folder) }
        var names: [[UInt8]] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

    /// The name as text, or nil when it is not UTF-8.
    static func text(_ name: [UInt8]) -> String? {
        String(validating: name, as: UTF8.self)
    }

    /// The name written out as UTF-8 text: every byte that is not part of a UTF-8 character as
    /// `\xNN` (lower-case hex), and a backslash as `\\`, so that different names stay different.
    static func escaped(_ name: [UInt8]) -> String {
        var text = ""
        var parser = Unicode.UTF8.ForwardParser()
        var input = name.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &input) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                text += scalar == "\\" ? "\\\\" : String(scalar)
                offset += encoded.count
            case .error(let length):
                for byte in name[offset..<(offset + length)] {
                    text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                }
                offset += length
            case .emptyInput:
                return text
            }
        }
    }

    /// Runs `body` with `path` as a C string.
    static func withCPath<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
