import Synchronization

/// A map from keys to values made once, shared between threads, holding at most `capacity`
/// entries (the oldest goes first). Values must depend on their key only, so that a value made
/// twice by two threads at once is the same either way.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let state = Mutex<(values: [Key: Value], order: [Key])>(([:], []))

    init(capacity: Int) { self.capacity = capacity }

    /// The value for `key`, made by `make` (outside the lock) when not there yet.
    func value(for key: Key, make: () throws(AppearanceError) -> Value) throws(AppearanceError) -> Value {
        if let found = state.withLock({ $0.values[key] }) { return found }
        let value = try make()
        state.withLock { state in
            guard state.values[key] == nil else { return }
            state.values[key] = value
            state.order.append(key)
            if state.order.count > capacity { state.values[state.order.removeFirst()] = nil }
        }
        return value
    }
}
