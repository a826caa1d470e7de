import Foundation

/// Token buckets by client: each key (a principal, or a client address) may make `rate`
/// requests a second on average and `burst` at once; beyond that it is refused until its bucket
/// refills. Buckets untouched for a minute are forgotten.
actor RateLimiter {
    private let rate: Double
    /// Whether every request is allowed (a rate of 0): callers then need not wait for the actor.
    nonisolated let isUnlimited: Bool
    private let burst: Double
    private var buckets: [String: (tokens: Double, time: Date)] = [:]
    private var lastSweep = Date()

    init(perSecond rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(burst, 1)
        isUnlimited = rate <= 0
    }

    /// Whether `key`'s bucket has a token left (none is taken).
    func hasToken(_ key: String, now: Date = Date()) -> Bool {
        guard rate > 0, let previous = buckets[key] else { return true }
        return min(burst, previous.tokens + now.timeIntervalSince(previous.time) * rate) >= 1
    }

    /// Takes one token from `key`'s bucket; false when it is empty.
    func allow(_ key: String, now: Date = Date()) -> Bool {
        guard rate > 0 else { return true }
        if now.timeIntervalSince(lastSweep) > 60 {
            buckets = buckets.filter { now.timeIntervalSince($0.value.time) < 60 }
            lastSweep = now
        }
        let previous = buckets[key] ?? (burst, now)
        let tokens = min(burst, previous.tokens + now.timeIntervalSince(previous.time) * rate)
        guard tokens >= 1 else {
            buckets[key] = (tokens, now)
            return false
        }
        buckets[key] = (tokens - 1, now)
        return true
    }
}
