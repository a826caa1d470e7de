import CoreMetrics
import Foundation
import Hummingbird
import NIOCore
import Prometheus
import SohoaPipeline
import SohoaService

/// `GET /metrics`: the service's metrics in Prometheus's text format, for a token that may read
/// the status (a Prometheus scrape job carries it as a bearer token). Requests by route, method
/// and status and their durations come from Hummingbird's `MetricsMiddleware` through
/// swift-metrics; the pipeline's queues and the documents by state are read at each scrape.
struct MetricsRoutes: Sendable {
    let service: RepositoryService
    let gate: Gate
    let registry: PrometheusCollectorRegistry

    func add(to router: Router<ServiceRequestContext>) {
        router.get("metrics") { request, context in
            await gate.withPrincipal(request, context) { principal in
                let status = try await service.status(as: principal)
                record(status)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
            }
        }
    }

    /// The pipeline's state as gauges.
    func record(_ status: PipelineStatus) {
        for (state, count) in status.documents {
            registry.makeGauge(name: "sohoa_documents", labels: [("state", state)], help: "Documents in the repository, by state")
                .set(Double(count))
        }
        for stage in status.stages {
            registry.makeGauge(name: "sohoa_jobs_queued", labels: [("stage", stage.stage)], help: "Jobs waiting, by stage")
                .set(Double(stage.queued))
            registry.makeGauge(name: "sohoa_jobs_failed", labels: [("stage", stage.stage)], help: "Jobs given up, by stage")
                .set(Double(stage.failed))
            registry.makeGauge(name: "sohoa_jobs_oldest_waiting_seconds", labels: [("stage", stage.stage)],
                               help: "How long the oldest waiting job has waited, by stage")
                .set(Double(stage.oldestWaitingSeconds ?? 0))
        }
        for (state, count) in status.intake {
            registry.makeGauge(name: "sohoa_inbox_items", labels: [("state", state)], help: "Inbox items, by what became of them")
                .set(Double(count))
        }
    }
}

/// Counters of what the service did, through swift-metrics (Prometheus when `sohoa serve`
/// bootstrapped it).
enum ServiceCounters {
    static func rejectedToken() { Counter(label: "sohoa_rejected_tokens_total").increment() }
    static func publicCheck() { Counter(label: "sohoa_public_checks_total").increment() }
}
