// swift-tools-version: 6.0
//
// Sohoa: scans to signed, verifiable, reusable PDF documents.
// The folder names under Sources/ follow the pipeline; see README.md.

import PackageDescription

/// A system library reached through pkg-config, with the Debian package that provides it.
func systemLibrary(_ name: String, pkgConfig: String, debian: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([debian])])
}

let package = Package(
    name: "sohoa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sohoa", targets: ["sohoa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
    ],
    targets: [
        // C libraries, exposed as they are.
        systemLibrary("CTIFF", pkgConfig: "libtiff-4", debian: "libtiff-dev"),
        systemLibrary("CPNG", pkgConfig: "libpng", debian: "libpng-dev"),
        systemLibrary("CJPEG", pkgConfig: "libturbojpeg", debian: "libturbojpeg0-dev"),
        systemLibrary("COpenSSL", pkgConfig: "openssl", debian: "libssl-dev"),
        systemLibrary("CQPDF", pkgConfig: "libqpdf", debian: "libqpdf-dev"),
        systemLibrary("CPKCS11", pkgConfig: "p11-kit-1", debian: "libp11-kit-dev"),
        systemLibrary("CZlib", pkgConfig: "zlib", debian: "zlib1g-dev"),
        systemLibrary("CDeflate", pkgConfig: "libdeflate", debian: "libdeflate-dev"),
        systemLibrary("CHarfBuzz", pkgConfig: "harfbuzz-subset", debian: "libharfbuzz-dev"),
        systemLibrary("CQRencode", pkgConfig: "libqrencode", debian: "libqrencode-dev"),
        systemLibrary("CTesseract", pkgConfig: "tesseract", debian: "libtesseract-dev"),
        // What Swift cannot call: variadic getters, va_list handlers, stack macros.
        .target(name: "CShims", dependencies: ["CTIFF", "CPNG", "COpenSSL"], linkerSettings: [.linkedLibrary("jpeg")]),

        // The pipeline, one module per stage.
        .target(name: "SohoaImaging", dependencies: ["CTIFF", "CPNG", "CJPEG", "CShims"]),
        .target(name: "SohoaPDF", dependencies: ["CQPDF", "CZlib", "CDeflate", "SohoaImaging", "SohoaFiles"]),
        .target(name: "SohoaFiles"),
        .target(name: "SohoaCrypto", dependencies: ["COpenSSL", "CPKCS11", "CShims", "SohoaFiles"]),
        // What a visible signature draws: text in an embedded font subset, a seal, a QR code.
        .target(name: "SohoaAppearance", dependencies: ["CHarfBuzz", "CQRencode", "CShims", "SohoaPDF"]),
        // Text recognition (Tesseract) of page images, for the PDF's invisible text layer.
        .target(name: "SohoaOCR", dependencies: ["CTesseract", "SohoaImaging"]),
        .target(name: "SohoaSigning", dependencies: ["SohoaPDF", "SohoaCrypto", "SohoaFiles", "SohoaAppearance"]),
        .target(name: "SohoaVerification", dependencies: ["SohoaPDF", "SohoaCrypto"]),
        .target(name: "SohoaRepository", dependencies: [
            "SohoaCrypto", "SohoaFiles", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The repository's records on a PostgreSQL server (several nodes, one queue).
        .target(name: "SohoaPostgres", dependencies: [
            "SohoaRepository", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SohoaPipeline", dependencies: [
            "SohoaImaging", "SohoaPDF", "SohoaOCR", "SohoaAppearance", "SohoaCrypto", "SohoaRepository", "SohoaVerification", "SohoaSigning", "SohoaFiles",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The use cases both front ends call: who may do what, and the audit entry naming them.
        .target(name: "SohoaService", dependencies: [
            "SohoaRepository", "SohoaPipeline", "SohoaVerification", "SohoaPDF", "SohoaCrypto", "SohoaSigning",
        ]),
        .target(name: "SohoaServer", dependencies: [
            "SohoaRepository", "SohoaPipeline", "SohoaCrypto", "SohoaService", "SohoaVerification",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),

        // The command line: parses, calls the modules, prints.
        .executableTarget(
            name: "sohoa",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                "SohoaImaging", "SohoaPDF", "SohoaCrypto", "SohoaSigning", "SohoaAppearance",
                "SohoaVerification", "SohoaRepository", "SohoaPostgres", "SohoaPipeline", "SohoaService", "SohoaServer",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),

        .target(name: "SohoaTestSupport", dependencies: ["SohoaRepository"], path: "Tests/SohoaTestSupport"),
        // A worker process for the test of several processes claiming from one job queue.
        .executableTarget(name: "sohoa-test-claimer", dependencies: ["SohoaRepository", "SohoaPostgres"], path: "Tests/QueueClaimer"),
        .executableTarget(name: "sohoa-repository-bench", dependencies: ["SohoaRepository", "SohoaPostgres"], path: "Sources/RepositoryBench"),
        .testTarget(name: "SohoaImagingTests", dependencies: ["SohoaImaging", "SohoaTestSupport"]),
        .testTarget(name: "SohoaPDFTests", dependencies: ["SohoaPDF", "SohoaTestSupport"]),
        .testTarget(name: "SohoaOCRTests", dependencies: ["SohoaOCR", "SohoaImaging", "SohoaTestSupport"]),
        .testTarget(name: "SohoaAppearanceTests", dependencies: ["SohoaAppearance", "SohoaPDF", "SohoaTestSupport", "CQRencode"]),
        .testTarget(name: "SohoaCryptoTests", dependencies: ["SohoaCrypto", "SohoaTestSupport"]),
        .testTarget(name: "SohoaRepositoryTests",
                    dependencies: ["SohoaRepository", "SohoaTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SohoaPostgresTests", dependencies: ["SohoaPostgres", "SohoaRepository", "SohoaTestSupport"]),
        .testTarget(name: "SohoaSigningTests", dependencies: ["SohoaSigning", "SohoaCrypto", "SohoaPDF", "SohoaFiles", "SohoaTestSupport"]),
        .testTarget(name: "SohoaVerificationTests",
                    dependencies: ["SohoaVerification", "SohoaSigning", "SohoaCrypto", "SohoaPDF", "SohoaTestSupport"]),
        .testTarget(name: "SohoaServerTests", dependencies: ["SohoaServer", "SohoaService", "SohoaRepository", "SohoaCrypto", "SohoaTestSupport"]),
        .testTarget(name: "SohoaPipelineTests", dependencies: [
            "SohoaPipeline", "SohoaRepository", "SohoaTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SohoaCLITests", dependencies: ["SohoaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
