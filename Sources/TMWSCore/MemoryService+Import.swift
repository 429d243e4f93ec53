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
    public func importLines(
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
    private func parseLines(_ lines: [ArraySlice<UInt8>], redact: Bool, by caller: Caller) async throws -> [MemoryDraft] {
        let now = clock.now()
        let chunkSize = max(512, lines.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)
        let chunks = stride(from: 0, to: lines.count, by: chunkSize).map { $0..<min($0 + chunkSize, lines.count) }
        let parsed = try await withThrowingTaskGroup(of: (Int, Result<[MemoryDraft], LineFailure>).self) { group in
            for (chunkIndex, range) in chunks.enumerated() {
                let slice = Array(lines[range])
                group.addTask {
                    var drafts: [MemoryDraft] = []
                    drafts.reserveCapacity(slice.count)
                    for (offset, line) in slice.enumerated()
                    where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        var refused: MemoryDraft?
                        do {
                            let decoded = try MemoryImportLine.decode(line)
                            var draft = try decoded.draft(
                                validator: validator, defaultScope: defaultScope, defaultNamespace: defaultNamespace, now: now)
                            refused = draft
                            let (classification, fields) = try decideScope(
                                MemoryFields(
                                    content: draft.content, tags: draft.tags, metadata: draft.metadata, namespace: draft.namespace.rawValue),
                                explicitScope: decoded.scope == nil ? nil : draft.scope, redact: redact,
                                namespace: draft.namespace)
                            draft.scope = classification.scope
                            draft.content = fields.content
                            draft.tags = try validator.validateTags(fields.tags)
                            draft.metadata = fields.metadata
                            draft.classification = ClassificationRecord(classification)
                            drafts.append(draft)
                        } catch let error as TMWSError {
                            let numbered = TMWSError(error.code, "line \(range.lowerBound + offset + 1): \(error.message)", field: error.field)
                            return (chunkIndex, .failure(LineFailure(error: numbered, refused: error.code == .refused ? refused : nil)))
                        }
                    }
                    return (chunkIndex, .success(drafts))
                }
            }
            var results = [Result<[MemoryDraft], LineFailure>?](repeating: nil, count: chunks.count)
            for try await (index, result) in group {
                results[index] = result
            }
            return results
        }
        var drafts: [MemoryDraft] = []
        drafts.reserveCapacity(lines.count)
        for result in parsed {
            switch result! {
            case .success(let chunk):
                drafts += chunk
            case .failure(let failure):
                if let refused = failure.refused {
                    try await recordRefusal(
                        MemoryFields(content: refused.content, tags: refused.tags, metadata: refused.metadata, namespace: refused.namespace.rawValue),
                        scope: refused.scope, namespace: refused.namespace, by: caller)
                }
                throw failure.error
            }
        }
        return drafts
    }
}
