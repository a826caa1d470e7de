/// A JSON object of the command-line contract: every key is written, an absent value as null
/// (scripts test `x == null`, not whether the key is there). The keys are the type's stored
/// properties, under their names; what encodes them is written once, here.
protocol ContractJSON: Encodable {}

extension ContractJSON {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PropertyKey.self)
        for property in Mirror(reflecting: self).children {
            guard let name = property.label, let value = property.value as? any Encodable else { continue }
            // An Optional encodes itself: its value, or null.
            try container.encode(value, forKey: PropertyKey(stringValue: name))
        }
    }
}

/// A stored property's name as a JSON key.
struct PropertyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
