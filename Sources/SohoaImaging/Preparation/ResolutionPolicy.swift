/// What resolution a page is given, and why.
public struct EffectiveResolution: Sendable, Equatable {
    /// Dots per inch used for the page size (the same horizontally and vertically).
    public let dpi: Double
    /// Whether the file stated it; `false` means the configured default was used.
    public let fromFile: Bool
    /// Why the default was used, in words (nil when the file's value was used).
    public let note: String?
}

/// The rule for resolutions: the file's own value when it is plausible, otherwise a
/// configured default, never silently.
public struct ResolutionPolicy: Sendable, Equatable {
    /// Used when the file states no plausible resolution.
    public var defaultDPI: Double
    /// Below this a stated resolution is absurd for a scan.
    public var minimumDPI: Double
    /// Above this a stated resolution is absurd for a scan.
    public var maximumDPI: Double
    /// How far horizontal and vertical may differ, as a fraction, and still count as square.
    public var squareTolerance: Double

    public init(defaultDPI: Double = 200, minimumDPI: Double = 72, maximumDPI: Double = 2400,
                squareTolerance: Double = 0.01) {
        self.defaultDPI = defaultDPI
        self.minimumDPI = minimumDPI
        self.maximumDPI = maximumDPI
        self.squareTolerance = squareTolerance
    }

    /// The resolution to use for a page whose file states `stated`.
    public func resolve(_ stated: Resolution?) -> EffectiveResolution {
        let fallback = "\(Int(defaultDPI)) dpi assumed"
        guard let stated else {
            return EffectiveResolution(dpi: defaultDPI, fromFile: false,
                                       note: "the file states no resolution; \(fallback)")
        }
        let low = min(stated.x, stated.y)
        let high = max(stated.x, stated.y)
        if low < minimumDPI {
            return EffectiveResolution(dpi: defaultDPI, fromFile: false,
                                       note: "the stated \(stated) is below \(Int(minimumDPI)) dpi; \(fallback)")
        }
        if high > maximumDPI {
            return EffectiveResolution(dpi: defaultDPI, fromFile: false,
                                       note: "the stated \(stated) is above \(Int(maximumDPI)) dpi; \(fallback)")
        }
        if (high - low) / high > squareTolerance {
            return EffectiveResolution(dpi: defaultDPI, fromFile: false,
                                       note: "the stated \(stated) is not the same across and down; \(fallback)")
        }
        return EffectiveResolution(dpi: (stated.x + stated.y) / 2, fromFile: true, note: nil)
    }
}
