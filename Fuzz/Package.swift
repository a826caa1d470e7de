// swift-tools-version: 6.0
//
// Coverage-guided fuzz targets for Sohoa's readers: the PDF reader and verifier, the DER
// readers, the time-stamp authority's request handling and the image decoders. Built and run by
// `make fuzz` / `scripts/fuzz-smoke.sh`, never by `swift build` in the main package.
//
// This is a package of its own so that the main build never sees it. It cannot depend on the
// main package by path (that package vends no library products, and a path dependency would
// resolve and fetch its whole dependency graph), so it compiles the modules under test itself
// from `SohoaSources`, a link to `../Sources`. The graph below mirrors the subset of the main
// Package.swift those modules need; when a module there gains a dependency, add it here too
// (`make fuzz-build` fails loudly otherwise).
//
// Every module, these included, is compiled with `-sanitize=fuzzer,address` (see
// scripts/fuzz.sh), so libFuzzer sees the coverage of Sohoa's Swift code and ASan watches its
// memory. The system libraries (libtiff, libpng, libjpeg-turbo, OpenSSL, qpdf, zlib, libdeflate)
// are Debian's, uninstrumented: they are exercised, but give no coverage feedback.

import PackageDescription

/// A system library reached through pkg-config, as in the main Package.swift.
func systemLibrary(_ name: String, pkgConfig: String) -> Target {
    .systemLibrary(name: name, path: "SohoaSources/\(name)", pkgConfig: pkgConfig)
}

/// A Sohoa module compiled from the main package's sources.
func sohoa(_ name: String, _ dependencies: [Target.Dependency] = [], linking libraries: [String] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: "SohoaSources/\(name)",
            linkerSettings: libraries.map { .linkedLibrary($0) })
}

/// A fuzz target: an executable whose entry points are `LLVMFuzzerTestOneInput` and the
/// `<module>_main` that SwiftPM makes `main` (see FuzzSupport/FuzzDriver.swift).
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Targets/\(name)")
}

let package = Package(
    name: "sohoa-fuzz",
    platforms: [.macOS(.v14)],
    targets: [
        // The modules under test, as the main package declares them.
        systemLibrary("CTIFF", pkgConfig: "libtiff-4"),
        systemLibrary("CPNG", pkgConfig: "libpng"),
        systemLibrary("CJPEG", pkgConfig: "libturbojpeg"),
        systemLibrary("COpenSSL", pkgConfig: "openssl"),
        systemLibrary("CQPDF", pkgConfig: "libqpdf"),
        systemLibrary("CPKCS11", pkgConfig: "p11-kit-1"),
        systemLibrary("CZlib", pkgConfig: "zlib"),
        systemLibrary("CDeflate", pkgConfig: "libdeflate"),
        sohoa("CShims", ["CTIFF", "CPNG", "COpenSSL"], linking: ["jpeg"]),
        sohoa("SohoaImaging", ["CTIFF", "CPNG", "CJPEG", "CShims"]),
        sohoa("SohoaPDF", ["CQPDF", "CZlib", "CDeflate", "SohoaImaging", "SohoaFiles"]),
        sohoa("SohoaFiles"),
        sohoa("SohoaCrypto", ["COpenSSL", "CPKCS11", "CShims", "SohoaFiles"]),
        sohoa("SohoaVerification", ["SohoaPDF", "SohoaCrypto"]),

        // libFuzzer's driver entry point, declared for Swift.
        .systemLibrary(name: "CLibFuzzer", path: "Targets/CLibFuzzer"),
        // What every fuzz target shares: the driver, scratch files, the test PKI.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", "SohoaCrypto"], path: "Targets/FuzzSupport"),
        // What the image targets share: every page described, decoded and prepared, under limits.
        .target(name: "ImageFuzzing", dependencies: ["FuzzSupport", "SohoaImaging"], path: "Targets/ImageFuzzing"),

        // PDF reading and signature verification.
        fuzzTarget("fuzz-verify", ["SohoaVerification", "SohoaCrypto"]),
        fuzzTarget("fuzz-pdf", ["SohoaPDF"]),
        // The DER readers.
        fuzzTarget("fuzz-ber", ["SohoaCrypto"]),
        fuzzTarget("fuzz-cms", ["SohoaCrypto"]),
        fuzzTarget("fuzz-timestamp", ["SohoaCrypto"]),
        fuzzTarget("fuzz-revocation", ["SohoaCrypto"]),
        fuzzTarget("fuzz-tsa", ["SohoaCrypto"]),
        // The image decoders.
        fuzzTarget("fuzz-tiff", ["ImageFuzzing", "SohoaImaging"]),
        fuzzTarget("fuzz-png", ["ImageFuzzing", "SohoaImaging"]),
        fuzzTarget("fuzz-jpeg", ["ImageFuzzing", "SohoaImaging"]),
    ],
    swiftLanguageModes: [.v6]
)
