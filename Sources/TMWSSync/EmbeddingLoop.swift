import Foundation
import TMWSCore

/// The node's embedding queue: memories without a vector of the model, newest first, in
/// batches, until none is left; then it waits for a write (`wake`) or `poll` (other processes
/// write too). Writes never wait for it: a memory is searchable by words at once and by
/// meaning once its vector is in. A failing provider (an endpoint down) is tried again after
/// 30 s, doubling to 5 minutes; the loop never stops a server.
///
/// It yields to writes: it starts once they have been quiet for `settle`, and between batches
/// it waits for quiet again when a write came meanwhile, for at most `patience` (then it
/// embeds one batch anyway, so a steady stream of writes is still embedded). An agent's
/// burst of writes thus runs beside no embedding at all.
package struct EmbeddingLoop<C: Clock>: Sendable where C.Duration == Duration {
    package let embedder: any Embedder
    package let vectors: any VectorStore
    package let clock: C
    /// Signalled after writes of this process.
    package var wake: WakeSignal?
    package var batch = 16
    package var poll: Duration = .seconds(5)
    /// How long writes must be quiet before the loop embeds.
    package var settle: Duration = .milliseconds(250)
    /// How long a stream of writes may hold back the next batch.
    package var patience: Duration = .seconds(2)
    /// Told after each batch (the number saved) or failure.
    package var observe: @Sendable (Result<Int, any Error>) async -> Void = { _ in }
    /// Told the devices whose vectors disagreed with this node's embedding of the same text.
    package var distrust: @Sendable ([String]) async -> Void = { _ in }

    package init(embedder: any Embedder, vectors: any VectorStore, clock: C) {
        self.embedder = embedder
        self.vectors = vectors
        self.clock = clock
    }

    /// Embeds one batch of the backlog; returns how many were waiting in it (0: none left).
    package func step() async throws -> (taken: Int, saved: Int) {
        let jobs = try await vectors.embeddingBacklog(model: embedder.modelID, limit: batch)
        guard !jobs.isEmpty else { return (0, 0) }
        return (jobs.count, try await vectors.saveVectors(try await embed(jobs)))
    }

    /// Checks a batch of the sampled vectors other devices sent (``PeerVectorCheck``); returns
    /// how many were checked and the devices whose vectors were withdrawn.
    package func checkPeers() async throws -> (checked: Int, distrusted: [String]) {
        let checks = try await vectors.peerVectorsToCheck(model: embedder.modelID, limit: batch)
        guard !checks.isEmpty else { return (0, []) }
        let own = try await embed(checks.map(\.job))
        let (_, distrusted) = try await vectors.settle(zip(checks, own).map { (check: $0, own: $1.vector) })
        return (checks.count, distrusted)
    }

    private func embed(_ jobs: [EmbeddingJob]) async throws -> [(job: EmbeddingJob, vector: MemoryVector)] {
        let floats = try await embedder.embed(jobs.map(\.content), as: .passage)
        guard floats.count == jobs.count else { throw TMWSError(.io, "the embedding provider answered \(floats.count) vectors for \(jobs.count) texts") }
        return zip(jobs, floats).map { (job: $0, vector: MemoryVector(model: embedder.modelID, floats: $1)) }
    }

    /// Returns when cancelled, never with an error. Its first step loads the model (a server
    /// answers lexically until then).
    package func run() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await embedder.load()
                let (taken, saved) = try await step()
                failures = 0
                if taken > 0 {
                    await observe(.success(saved))
                    // Writes came during the batch: let them have the cores first.
                    if wake?.take() == true, !(await quiet()) { return }
                    continue
                }
                // Nothing of this node's own waits: the sampled vectors of other devices.
                let (checked, distrusted) = try await checkPeers()
                if !distrusted.isEmpty { await distrust(distrusted) }
                if checked > 0 { continue }
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                await observe(.failure(error))
                let wait = min(Duration.seconds(30) * (1 << min(failures - 1, 4)), .seconds(300))
                guard (try? await clock.sleep(for: wait)) != nil else { return }
                continue
            }
            // Nothing waits: until a write here, or the next look (writes of other processes).
            let clock = clock
            let poll = poll
            let wake = wake
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = try? await clock.sleep(for: poll) }
                if let wake { group.addTask { await wake.wait() } }
                await group.next()
                group.cancelAll()
            }
            // A burst of writes is embedded together, after it (and a write's own work first).
            guard await quiet() else { return }
        }
    }

    /// Waits until no write came for `settle`, or for `patience` at most; `false` when cancelled.
    private func quiet() async -> Bool {
        let start = clock.now
        repeat {
            guard (try? await clock.sleep(for: settle)) != nil else { return false }
        } while wake?.take() == true && start.duration(to: clock.now) < patience
        return true
    }
}
