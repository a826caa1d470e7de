import CQPDF
import Foundation

/// Small, safe reads of qpdf object handles, for code that walks a document it does not trust.
struct ObjectAccess {
    let q: qpdf_data

    init(_ document: QPDFDocument) throws {
        guard let q = document.handle else { throw PDFError(file: document.name, reason: "qpdf could not read the file") }
        self.q = q
    }

    var root: qpdf_oh { qpdf_get_root(q) }
    var trailer: qpdf_oh { qpdf_get_trailer(q) }

    func type(_ object: qpdf_oh) -> qpdf_object_type_e { qpdf_oh_get_type_code(q, object) }
    func isDictionary(_ object: qpdf_oh) -> Bool { qpdf_oh_is_dictionary(q, object) != 0 }
    func isArray(_ object: qpdf_oh) -> Bool { qpdf_oh_is_array(q, object) != 0 }
    func isStream(_ object: qpdf_oh) -> Bool { qpdf_oh_is_stream(q, object) != 0 }
    func isNull(_ object: qpdf_oh) -> Bool { qpdf_oh_is_null(q, object) != 0 }

    /// The object number of an indirect object, nil for a direct one.
    func id(_ object: qpdf_oh) -> Int? {
        qpdf_oh_is_indirect(q, object) != 0 ? Int(qpdf_oh_get_object_id(q, object)) : nil
    }

    func generation(_ object: qpdf_oh) -> Int { Int(qpdf_oh_get_generation(q, object)) }

    /// A dictionary's keys (a stream's dictionary for a stream), collected before anyone
    /// iterates another dictionary.
    func keys(_ object: qpdf_oh) -> [String] {
        let dictionary = isStream(object) ? qpdf_oh_get_dict(q, object) : object
        guard isDictionary(dictionary) else { return [] }
        var keys: [String] = []
        qpdf_oh_begin_dict_key_iter(q, dictionary)
        while qpdf_oh_dict_more_keys(q) != 0 {
            if let key = qpdf_oh_dict_next_key(q) { keys.append(String(cString: key)) }
        }
        return keys
    }

    func value(_ object: qpdf_oh, _ key: String) -> qpdf_oh {
        let dictionary = isStream(object) ? qpdf_oh_get_dict(q, object) : object
        return qpdf_oh_get_key(q, dictionary, key)
    }

    func has(_ object: qpdf_oh, _ key: String) -> Bool {
        let dictionary = isStream(object) ? qpdf_oh_get_dict(q, object) : object
        return isDictionary(dictionary) && qpdf_oh_has_key(q, dictionary, key) != 0
    }

    func items(_ array: qpdf_oh) -> [qpdf_oh] {
        guard isArray(array) else { return [] }
        return (0..<max(0, qpdf_oh_get_array_n_items(q, array))).map { qpdf_oh_get_array_item(q, array, $0) }
    }

    func name(_ object: qpdf_oh) -> String? {
        qpdf_oh_is_name(q, object) != 0 ? String(cString: qpdf_oh_get_name(q, object)) : nil
    }

    /// An integer or real number's value (finite), nil for anything else.
    func number(_ object: qpdf_oh) -> Double? {
        guard qpdf_oh_is_number(q, object) != 0 else { return nil }
        let value = qpdf_oh_get_numeric_value(q, object)
        return value.isFinite ? value : nil
    }

    func integer(_ object: qpdf_oh) -> Int? {
        qpdf_oh_is_integer(q, object) != 0 ? Int(qpdf_oh_get_int_value(q, object)) : nil
    }

    /// A string's bytes as stored (binary safe).
    func bytes(_ object: qpdf_oh) -> [UInt8]? {
        guard qpdf_oh_is_string(q, object) != 0 else { return nil }
        var length = 0
        guard let pointer = qpdf_oh_get_binary_string_value(q, object, &length) else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// A text string decoded (PDFDocEncoding or UTF-16), as qpdf reads it.
    func text(_ object: qpdf_oh) -> String? {
        guard qpdf_oh_is_string(q, object) != 0, let value = qpdf_oh_get_utf8_value(q, object) else { return nil }
        return String(cString: value)
    }

    /// The indirect objects reachable from `starts`, following every array item and
    /// dictionary or stream-dictionary value, except the keys `skipping` names for a container;
    /// an indirect object for which `following` says no is neither counted nor entered. At most
    /// `limit` values are looked at, so a hostile file cannot make the walk endless.
    func reachableObjects(from starts: [qpdf_oh], limit: Int, following: (Int) -> Bool = { _ in true },
                          skipping: (_ container: qpdf_oh, _ key: String) -> Bool = { _, _ in false }) -> Set<Int> {
        var seen = Set<Int>()
        var stack = starts
        var visited = 0
        while let object = stack.popLast(), visited < limit {
            visited += 1
            if let id = id(object) {
                guard following(id), seen.insert(id).inserted else { continue }
            }
            if isArray(object) {
                stack.append(contentsOf: items(object))
            } else if isDictionary(object) || isStream(object) {
                for key in keys(object) where !skipping(object, key) {
                    stack.append(value(object, key))
                }
            }
        }
        return seen
    }

    /// The number of pages, 0 when the page tree cannot be read (a loop, a broken node); the
    /// error is taken off qpdf's queue so that qpdf never reports it on its own.
    func pageCount() -> Int {
        let count = qpdf_get_num_pages(q)
        if qpdf_has_error(q) != 0 { _ = qpdf_get_error(q) }
        return max(0, Int(count))
    }

    func object(id: Int, generation: Int = 0) -> qpdf_oh {
        qpdf_get_object_by_id(q, Int32(clamping: id), Int32(clamping: generation))
    }

    /// The object written out with its direct contents, indirect references left as references.
    func unparsed(_ object: qpdf_oh) -> String {
        String(cString: qpdf_oh_unparse_resolved(q, object))
    }

    /// A stream's bytes decoded (at most 16 MiB of stored data), nil when they cannot be.
    func decodedStreamData(_ object: qpdf_oh) -> [UInt8]? {
        guard let length = integer(value(object, "/Length")), length <= 16 << 20,
              let (bytes, filtered) = streamData(object, qpdf_dl_generalized),
              filtered || !has(object, "/Filter") else { return nil }
        return bytes
    }

    /// A stream's bytes decoded, when it decodes to at most `limit` bytes and that can be known
    /// before decoding: stored as is, Flate-compressed (with or without predictors), or in
    /// ASCIIHex (which halves) or ASCII85 (which at most quadruples); nil otherwise, and for any other filter.
    func boundedDecodedStreamData(_ object: qpdf_oh, limit: Int) -> [UInt8]? {
        let filter = value(object, "/Filter")
        let filters = isArray(filter) ? items(filter).compactMap { name($0) } : [name(filter)].compactMap { $0 }
        // Flate never shrinks data by much less than nothing: a stored stream far longer than the
        // limit is refused before it is read.
        guard filters.count == (isNull(filter) ? 0 : (isArray(filter) ? items(filter).count : 1)), filters.count <= 1,
              let stored = integer(value(object, "/Length")), stored <= limit * 2 + 65_536,
              let raw = rawStreamData(object) else { return nil }
        switch filters.first {
        case nil: return raw.count <= limit ? raw : nil
        case "/FlateDecode": guard InflatedSize.of(raw, limit: limit) != nil else { return nil }
        case "/ASCIIHexDecode": guard raw.count / 2 <= limit else { return nil }
        case "/ASCII85Decode": guard raw.count <= limit / 4 else { return nil }
        default: return nil
        }
        guard let (bytes, filtered) = streamData(object, qpdf_dl_generalized), filtered, bytes.count <= limit else { return nil }
        return bytes
    }

    /// A stream's bytes with the filters qpdf can undo undone (as stored when it cannot),
    /// nil when they cannot be read.
    func streamContents(_ object: qpdf_oh) -> [UInt8]? {
        streamData(object, qpdf_dl_generalized)?.bytes
    }

    /// A stream's bytes as stored (undecoded), nil when they cannot be read.
    func rawStreamData(_ object: qpdf_oh) -> [UInt8]? {
        streamData(object, qpdf_dl_none)?.bytes
    }

    /// qpdf's stream reading, once: the bytes at `level`, and whether they were decoded.
    private func streamData(_ object: qpdf_oh, _ level: qpdf_stream_decode_level_e) -> (bytes: [UInt8], filtered: Bool)? {
        var buffer: UnsafeMutablePointer<UInt8>?
        var length = 0
        var filtered: QPDF_BOOL = 0
        guard qpdf_oh_get_stream_data(q, object, level, &filtered, &buffer, &length) & 2 == 0 else {
            if let buffer { free(buffer) }
            return nil
        }
        guard let buffer else { return ([], filtered != 0) }
        defer { free(buffer) }
        return (Array(UnsafeBufferPointer(start: buffer, count: length)), filtered != 0)
    }
}
