import ArgumentParser
import Foundation
import Logging
import NIOSSL
import SohoaCrypto
import SohoaRepository
import SohoaServer
import SohoaService
import SohoaVerification

/// `sohoa serve`: the repository's HTTP service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the repository over HTTP: the API, and the public check page behind each QR code.",
        usage: "sohoa serve --data DIR [--listen HOST:PORT] [--trust FILE_OR_DIR]... [--tls-cert PEM --tls-key PEM [--client-ca FILE_OR_DIR]...]",
        discussion: """
            The API is under /api/v1 and described at /openapi.json: documents listed, shown, \
            downloaded, filed and reused, PDFs verified, the pipeline's status. Requests carry \
            `Authorization: Bearer TOKEN`, a token from `sohoa access add`; each answers 401 \
            without a valid token and 403 for a role that may not. Over HTTPS with --client-ca, \
            a client certificate issued by one of those authorities may stand in for a token: \
            it signs in for the grant made with `sohoa access add --certificate`, once its path, \
            clientAuth usage and revocation status are checked (a status that cannot be learnt \
            refuses it, unless --offline). Every read of a citizen's \
            document and every change is written to the audit log as api:NAME. The public \
            check page /v/CODE (and /v/CODE.json) needs no token and shows nothing of the \
            citizen; CODE is the publicCode of `sohoa repo show --json`. /healthz answers \
            while the service runs; /metrics gives Prometheus metrics to a token that may read \
            the status. The centre's status page is / (sign in with a token). Signatures are verified with the --trust anchors, fetching \
            revocation data unless --offline. Port 0 picks a free port; the address is printed \
            once the service listens. SIGINT or SIGTERM stops it after the requests in flight.

            Examples:
              sohoa serve --data /srv/sohoa --listen 0.0.0.0:8443 --trust /etc/sohoa/trust/ \\
                  --tls-cert /etc/sohoa/https.pem --tls-key /etc/sohoa/https.key
              sohoa serve --data /srv/sohoa --listen 0.0.0.0:8443 --tls-cert https.pem --tls-key https.key \\
                  --client-ca /etc/sohoa/agency-cas.pem
              sohoa serve --data /srv/sohoa --listen 127.0.0.1:8320 --trust root-ca.pem

            Exit status: 0 stopped by SIGINT or SIGTERM; 1 the repository cannot be opened or \
            the address cannot be listened on; 3 usage error, or the TLS certificate, key or \
            trust anchors cannot be read.
            """
    )
    static let name = "sohoa serve"

    @OptionGroup var repository: RepoCommand.DataOption

    @Option(help: ArgumentHelp("Address to listen on (0.0.0.0 for every interface).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8320"

    @Option(help: ArgumentHelp("Trust anchors for verifying: PEM or DER files, or folders.", valueName: "FILE_OR_DIR"))
    var trust: [String] = []

    @Flag(help: "Never fetch revocation data while verifying.") var offline = false

    @Option(help: ArgumentHelp("The server's certificate (PEM, followed by its chain), to serve HTTPS.", valueName: "PEM"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The server certificate's private key (PEM).", valueName: "PEM"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("Authorities (with their intermediates) whose client certificates may sign in instead of a token: "
                               + "PEM or DER files, or folders. Needs --tls-cert.", valueName: "FILE_OR_DIR"))
    var clientCa: [String] = []

    @Option(help: ArgumentHelp("The largest PDF accepted, in MiB.", valueName: "MIB"))
    var maxUploadMib = 64

    @Option(help: ArgumentHelp("Requests a second each token (or each address, without one) may make on average; 0 for no limit.",
                               valueName: "N"))
    var rateLimit = 200

    @Option(help: ArgumentHelp("Seconds a connection may stay silent before it is closed; a body must arrive within four times that.",
                               valueName: "SECONDS"))
    var idleTimeout = 30

    func validate() throws {
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout is 1 to 3600 seconds") }
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen \(listen) is not an address like 127.0.0.1:8320") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give --tls-cert and --tls-key together") }
        guard clientCa.isEmpty || tlsCert != nil else {
            throw ValidationError("--client-ca needs HTTPS: give --tls-cert and --tls-key too")
        }
        guard (1...4096).contains(maxUploadMib) else { throw ValidationError("--max-upload-mib is 1 to 4096") }
        guard rateLimit >= 0 else { throw ValidationError("--rate-limit is 0 (none) or more") }
    }

    func run() async throws {
        guard let address = ListenAddress(listen) else { throw ExitCode(ExitStatus.usage) }
        let anchors: TrustAnchors
        do { anchors = try TrustAnchors(loading: trust) } catch {
            throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.usage)
        }
        let clientAuthorities: TrustAnchors?
        do { clientAuthorities = clientCa.isEmpty ? nil : try TrustAnchors(loading: clientCa) } catch {
            throw CommandFailure(message: "\(Self.name): --client-ca: \(error)", exitCode: ExitStatus.usage)
        }
        if let clientAuthorities, clientAuthorities.certificates.isEmpty {
            throw CommandFailure(message: "\(Self.name): --client-ca \(clientCa.joined(separator: " ")) holds no certificate",
                                 exitCode: ExitStatus.usage)
        }
        let tls = try tlsConfiguration(clientAuthorities: clientAuthorities)
        let repository = try await self.repository.open(for: Self.name)
        let verifier = DocumentVerifier(policy: VerificationPolicy(anchors: anchors, fetcher: offline ? nil : RevocationFetcher(timeout: 5, keepFor: 300)),
                                        language: .en)
        var limits = RepositoryServer.Limits()
        limits.uploadBytes = maxUploadMib * 1024 * 1024
        limits.requestsPerSecond = Double(rateLimit)
        limits.burst = Double(max(rateLimit * 2, 1))
        limits.idleSeconds = Int64(idleTimeout)
        let server = RepositoryServer(service: RepositoryService(repository: repository, verifier: verifier), address: address,
                                      limits: limits, tls: tls,
                                      clientCertificates: clientAuthorities.map {
                                          ClientCertificateCheck(authorities: $0, fetcher: offline ? nil : RevocationFetcher(timeout: 5, keepFor: 300))
                                      },
                                      metrics: RepositoryServer.bootstrapMetrics())
        var logger = Logger(label: "sohoa.serve")
        logger.logLevel = .warning
        let scheme = tls == nil ? "http" : "https"
        do {
            try await server.run(logger: logger) { port in
                let shown = address.host.contains(":") ? "[\(address.host)]" : address.host
                // Written unbuffered: scripts wait for this line to know the port.
                FileHandle.standardOutput.write(Data(
                    "Sohoa repository service listening on \(scheme)://\(shown):\(port)/ for \(repository.data)\n".utf8))
            }
        } catch let failure as ListenFailure {
            throw CommandFailure(message: "\(Self.name): \(failure)", exitCode: ExitStatus.refused)
        } catch {
            throw CommandFailure(message: "\(Self.name): cannot serve on \(listen): \(error)", exitCode: ExitStatus.refused)
        }
    }

    /// HTTPS from --tls-cert and --tls-key, asking clients for a certificate from
    /// `clientAuthorities` when given (optional: a client may still send a token); nil for plain HTTP.
    func tlsConfiguration(clientAuthorities: TrustAnchors?) throws -> TLSConfiguration? {
        guard let tlsCert, let tlsKey else { return nil }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tlsCert).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw ValidationError("\(tlsCert) holds no certificate") }
            let key = try NIOSSLPrivateKey(file: tlsKey, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            if let clientAuthorities {
                configuration.trustRoots = .certificates(try clientAuthorities.certificates.map {
                    try NIOSSLCertificate(bytes: $0.derBytes, format: .der)
                })
                configuration.certificateVerification = .optionalVerification
                configuration.sendCANameList = true
            }
            return configuration
        } catch {
            throw CommandFailure(message: "\(Self.name): the TLS certificate or key cannot be used (\(error))", exitCode: ExitStatus.usage)
        }
    }
}
