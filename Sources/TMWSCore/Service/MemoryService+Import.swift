import Foundation

extension MemoryService {
    /// Validates every line first, then writes them in batches of `batchSize`, each batch
    /// in one transaction. A bad line stops the import before anything is written.
    ///
    /// - Parameters:
    ///   - redact: store sensitive data in a line that asks for a cloud scope as
    ///     `[REDACTED:type]` instead of refusing the import. Default `false`.
    ///   - progress: called after each batch with the number of lines done.
    /// - Throws: `invalid_input` naming the first bad line (1-based) and its problem.
    package func importLines(
        _ lines: [ArraySlice<UInt8>], batchSize: Int = 1000, redact: Bool = false, by caller: Caller,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> ImportOutcome {
        guard batchSize >= 1 else {
            throw TMWSError(.invalidInput, "batch size must be 1 or more, got \(batchSize)", field: "batch_size")
        }
        let drafts = try await parseLines(lines, redact: redact, by: caller)
        var outcome = ImportOutcome()
        var done = 0
        for start in stride(from: 0, to: drafts.count, by: batchSize) {
            let batch = Array(drafts[start..<min(start + batchSize, drafts.count)])
            let result = try await store.importBatch(batch, by: caller)
            outcome.imported += result.imported
            outcome.skipped += result.skipped
            done += batch.count
            progress(done)
        }
        return outcome
    }

    /// A line that could not be imported, and the draft the classifier refused, if that was why.
    private struct LineFailure: Error {
        var error: TMWSError
        var refused: MemoryDraft?
    }

    /// Decodes, validates and classifies lines on every core, keeping their order.
    ///
    /// - Throws: the error of the first bad line (by line number), prefixed with `line N:`.
    private func parseLines(_ lines: [ArraySlice<UInt8>], redact: Bool, by caller: Caller) async throws -> [DecidedDraft] {
        let now = clock.now()
        let chunkSize = max(512, lines.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)
        let chunks = stride(from: 0, to: lines.count, by: chunkSize).map { $0..<min($0 + chunkSize, lines.count) }
        let parsed = try await withThrowingTaskGroup(of: (Int, Result<[DecidedDraft], LineFailure>).self) { group in
            for (chunkIndex, range) in chunks.enumerated() {
                let slice = Array(lines[range])
                group.addTask {
                    var drafts: [DecidedDraft] = []
                    drafts.reserveCapacity(slice.count)
                    for (offset, line) in slice.enumerated()
                    where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        var refused: MemoryDraft?
                        do {
                            let decoded = try MemoryImportLine.decode(line)
                            let draft = try decoded.draft(
                                validator: validator, defaultScope: defaultScope, defaultNamespace: defaultNamespace, now: now)
                            refused = draft
                            drafts.append(try policy.decide(draft, explicitScope: decoded.scope == nil ? nil : draft.scope, redact: redact))
                        } catch let error as TMWSError {
                            var numbered = TMWSError(error.code, "line \(range.lowerBound + offset + 1): \(error.message)", field: error.field)
                            numbered.findingTypes = error.findingTypes
                            return (chunkIndex, .failure(LineFailure(error: numbered, refused: error.code == .refused ? refused : nil)))
                        }
                    }
                    return (chunkIndex, .success(drafts))
                }
            }
            var results = [Result<[DecidedDraft], LineFailure>?](repeating: nil, count: chunks.count)
            for try await (index, result) in group {
                results[index] = result
            }
            return results
        }
        var drafts: [DecidedDraft] = []
        drafts.reserveCapacity(lines.count)
        for result in parsed {
            switch result! {
            case .success(let chunk):
                drafts += chunk
            case .failure(let failure):
                if let refused = failure.refused {
                    // Records the refusal (finding types only) and throws it.
                    try await deciding(scope: refused.scope, namespace: refused.namespace, by: caller) { () throws -> Void in throw failure.error }
                }
                throw failure.error
            }
        }
        return drafts
    }
}
