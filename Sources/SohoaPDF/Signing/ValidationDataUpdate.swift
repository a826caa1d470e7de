import CQPDF
import Foundation

/// The material a verifier needs to validate signatures long after they were made (PAdES
/// B-LT, ETSI EN 319 142-1 §5.4): certificates, CRLs and OCSP responses, all DER.
public struct ValidationMaterial: Sendable, Equatable {
    public var certificates: [[UInt8]]
    public var crls: [[UInt8]]
    public var ocspResponses: [[UInt8]]

    public init(certificates: [[UInt8]] = [], crls: [[UInt8]] = [], ocspResponses: [[UInt8]] = []) {
        self.certificates = certificates
        self.crls = crls
        self.ocspResponses = ocspResponses
    }

    public var isEmpty: Bool { certificates.isEmpty && crls.isEmpty && ocspResponses.isEmpty }
}

/// Adds validation material to a PDF's Document Security Store (the catalog's `/DSS`, ISO
/// 32000-2 §12.8.4.3) as an incremental update after the last signature, which that
/// signature's verifiers accept as an allowed change. Material already in the store is not
/// added twice; the store's other entries (such as `/VRI`) are kept.
public enum ValidationDataUpdate {
    /// The bytes to append to `source`; empty when the store already holds all of `material`.
    public static func make(_ source: PDFSource, adding material: ValidationMaterial) throws -> [UInt8] {
        let base = try UpdateBase(source)
        let q = base.q
        let access = try ObjectAccess(base.document)
        let root = base.root
        guard qpdf_oh_is_indirect(q, root) != 0 else {
            throw PDFError(file: base.name, reason: "the catalog is not an indirect object")
        }
        var store = qpdf_oh_get_key(q, root, "/DSS")
        var rewritten: [qpdf_oh] = []
        if qpdf_oh_is_dictionary(q, store) == 0 {
            store = qpdf_oh_new_dictionary(q)
            qpdf_oh_replace_key(q, root, "/DSS", store)
        }
        rewritten.append(qpdf_oh_is_indirect(q, store) != 0 ? store : root)

        var streams: [(id: Int, data: [UInt8])] = []
        for (key, items) in [("/Certs", material.certificates), ("/CRLs", material.crls), ("/OCSPs", material.ocspResponses)] {
            var array = qpdf_oh_get_key(q, store, key)
            if qpdf_oh_is_array(q, array) == 0 {
                array = qpdf_oh_new_array(q)
                qpdf_oh_replace_key(q, store, key, array)
            }
            var present = Set(existingData(of: array, access))
            for item in items where present.insert(item).inserted {
                let placeholder = qpdf_make_indirect_object(q, qpdf_oh_new_null(q))
                qpdf_oh_append_item(q, array, placeholder)
                streams.append((Int(qpdf_oh_get_object_id(q, placeholder)), item))
            }
            if qpdf_oh_is_indirect(q, array) != 0 { rewritten.append(array) }
        }
        guard !streams.isEmpty else { return [] }

        var writer = IncrementalUpdateWriter(after: base)
        for stream in streams { writer.writeStream(stream.id, data: stream.data) }
        for object in rewritten { writer.writeCurrent(object) }
        return writer.finish()
    }

    /// The decoded data of each stream the array lists (to avoid adding an item twice).
    private static func existingData(of array: qpdf_oh, _ access: ObjectAccess) -> [[UInt8]] {
        access.items(array).compactMap { access.isStream($0) ? access.streamContents($0) : nil }
    }
}
