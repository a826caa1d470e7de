/// Sohoa's version, as `sohoa --version` prints it and as documents record their producer.
public enum SohoaVersion {
    public static let current = "0.1.0"
}
