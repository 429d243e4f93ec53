import Foundation
import TMWSCore

/// The archive inside `tmws serve`: a run of the node's archive policy soon after start,
/// then every interval, until cancelled. A failed run is reported and tried again at the
/// next interval; it never stops the server.
package struct ArchiveLoop<C: Clock>: Sendable where C.Duration == Duration {
    package let archive: any MemoryArchive
    package let policy: LocalArchivePolicy
    package let interval: Duration
    /// The wait before the first run (a server's start is busy enough). Default 60 s.
    package var firstRun: Duration = .seconds(60)
    package let clock: C
    package var observe: @Sendable (Result<LocalArchiveOutcome, any Error>) async -> Void = { _ in }

    package init(archive: any MemoryArchive, policy: LocalArchivePolicy, interval: Duration, clock: C) {
        self.archive = archive
        self.policy = policy
        self.interval = interval
        self.clock = clock
    }

    /// Returns when cancelled (a server's shutdown), never with an error.
    package func run() async {
        guard (try? await clock.sleep(for: firstRun)) != nil else { return }
        while !Task.isCancelled {
            do {
                await observe(.success(try await archive.archive(policy, dryRun: false)))
            } catch is CancellationError {
                return
            } catch {
                await observe(.failure(error))
            }
            guard (try? await clock.sleep(for: interval)) != nil else { return }
        }
    }
}
