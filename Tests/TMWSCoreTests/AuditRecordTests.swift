import TMWSCore
import Testing

@Suite struct AuditRecordTests {
    func chain(_ count: Int) throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        var previous = AuditRecord.genesisHash
        for index in 1...count {
            let record = AuditRecord(
                sequence: Int64(index), atMillis: 1_767_225_600_000 + Int64(index), actor: "cli", action: .create,
                memoryID: MemoryID.generate(at: .now), scope: .project, namespace: try Namespace(validating: "p"),
                version: 1, details: [], previousHash: previous
            )
            records.append(record)
            previous = record.hash
        }
        return records
    }

    @Test func anIntactChainVerifies() throws {
        var verifier = AuditChainVerifier()
        for record in try chain(5) { verifier.check(record) }
        #expect(verifier.problem == nil)
        #expect(verifier.count == 5)
    }

    @Test func aModifiedRecordIsFound() throws {
        var records = try chain(5)
        records[2].actor = "mallory"
        var verifier = AuditChainVerifier()
        for record in records { verifier.check(record) }
        #expect(verifier.problem == "audit record 3: hash does not match its fields (modified)")
    }

    @Test func aRemovedRecordIsFound() throws {
        var records = try chain(5)
        records.remove(at: 1)
        var verifier = AuditChainVerifier()
        for record in records { verifier.check(record) }
        #expect(verifier.problem == "audit record 3: expected sequence 2 (a record is missing)")
    }

    @Test func aRehashedRecordBreaksTheNextLink() throws {
        var records = try chain(5)
        records[1] = AuditRecord(
            sequence: 2, atMillis: records[1].atMillis, actor: "mallory", action: .delete, memoryID: records[1].memoryID,
            scope: .project, namespace: records[1].namespace, version: 1, details: [], previousHash: records[0].hash
        )
        var verifier = AuditChainVerifier()
        for record in records { verifier.check(record) }
        #expect(verifier.problem == "audit record 3: previous hash does not match record 2")
    }
}
