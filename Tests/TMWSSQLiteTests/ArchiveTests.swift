import Foundation
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// The node's archive (roadmap 6.2): which memories move, that they leave the default search
/// compressed and come back on every path, and that nothing is lost.
@Suite struct ArchiveTests {
    let policy = try! LocalArchivePolicy()

    @Test func onlyOldRarelyReadUnpinnedProjectMemoriesMove() async throws {
        let fixture = try StoreFixture()
        let old = try await fixture.add("Old release notes for the billing service, rarely read")
        let oftenRead = try await fixture.add("Old deploy checklist that people keep reading")
        let global = try await fixture.add("In general, prefer small pull requests for review", scope: .global)
        let privateNote = try await fixture.service.add(.init(content: "Old private note about billing", scope: .private), by: .cli)
        for _ in 0..<3 { _ = try await fixture.store.get(oftenRead.id) }
        fixture.clock.advance(days: 89)
        let young = try await fixture.add("A young note about billing")
        #expect(try await fixture.store.archive(policy, dryRun: true).memories == 0)  // 89 days: nothing is old enough
        fixture.clock.advance(days: 2)

        let dry = try await fixture.store.archive(policy, dryRun: true)
        #expect(dry.memories == 1)
        #expect(dry.textBytes == old.content.utf8.count)
        #expect(try await fixture.store.archiveSize().memories == 0)  // a dry run moves nothing

        let outcome = try await fixture.store.archive(policy, dryRun: false)
        #expect(outcome.memories == 1)
        #expect(outcome.storedBytes > 0)
        let listed = try await fixture.store.archived(limit: 10, after: nil)
        #expect(listed.map(\.id) == [old.id])
        for kept in [oftenRead, global, privateNote, young] {
            #expect(try await fixture.store.read(kept.id).archived == false)
        }
        // The thresholds are settings: three reads are few enough for a policy of three.
        let lenient = try LocalArchivePolicy(olderThanDays: 90, maximumReads: 3)
        #expect(try await fixture.store.archive(lenient, dryRun: true).memories == 1)
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func aPinnedOrRecentlyReadOrChangedMemoryStays() async throws {
        let fixture = try StoreFixture()
        let read = try await fixture.add("A note read once, recently")
        let changed = try await fixture.add("A note changed recently")
        fixture.clock.advance(days: 80)
        _ = try await fixture.store.get(read.id)
        _ = try await fixture.service.update(changed.id, .init(content: "A note changed recently, again"), by: .cli)
        fixture.clock.advance(days: 20)
        #expect(try await fixture.store.archive(policy, dryRun: true).memories == 0)
        #expect(throws: TMWSError.self) { try LocalArchivePolicy(olderThanDays: -1) }
        #expect(throws: TMWSError.self) { try LocalArchivePolicy(maximumReads: -1) }
    }

    @Test func anArchivedMemoryLeavesTheDefaultSearchAndIsFoundWhenIncluded() async throws {
        let fixture = try StoreFixture()
        let english = try await fixture.add("The zephyrine deploy uses a canary stage before production")
        let japanese = try await fixture.add("リリース手順はタグを切ってからカナリアへ出す", tags: ["release"])
        fixture.clock.advance(days: 100)
        let fresh = try await fixture.add("The zephyrine dashboard shows the canary")
        #expect(try await fixture.store.archive(policy, dryRun: false).memories == 2)

        let plain = try await fixture.service.search(SearchRequest(query: "zephyrine", limit: 10))
        #expect(plain.map(\.memory.id) == [fresh.id])
        var included = SearchRequest(query: "zephyrine canary", limit: 10)
        included.filter.includeArchived = true
        let both = try await fixture.service.search(included)
        #expect(Set(both.map(\.memory.id)) == [english.id, fresh.id])
        #expect(both.first { $0.memory.id == english.id }?.memory.content == english.content)
        #expect(both.first { $0.memory.id == english.id }?.memory.archived == true)
        var cjk = SearchRequest(query: "カナリア", limit: 10)
        #expect(try await fixture.service.search(cjk).isEmpty)
        cjk.filter.includeArchived = true
        #expect(try await fixture.service.search(cjk).map(\.memory.id) == [japanese.id])

        // Listed with the flag (tags and filters still apply), not without.
        #expect(try await fixture.service.list(ListRequest()).memories.map(\.id) == [fresh.id])
        let listed = try await fixture.service.list(ListRequest(filter: MemoryFilter(tags: ["release"], includeArchived: true)))
        #expect(listed.memories.map(\.id) == [japanese.id])
        #expect(listed.memories.first?.content == japanese.content)
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func theTextIsStoredCompressed() async throws {
        let fixture = try StoreFixture()
        let paragraph = String(repeating: "The billing service retries failed charges three times with backoff. ", count: 40)
        _ = try await fixture.add(paragraph)
        fixture.clock.advance(days: 100)
        let outcome = try await fixture.store.archive(policy, dryRun: false)
        #expect(outcome.textBytes == paragraph.utf8.count)
        #expect(outcome.storedBytes * 10 < outcome.textBytes)
        #expect(try await fixture.store.archiveSize().storedBytes == outcome.storedBytes)
    }

    @Test func everyPathBringsAMemoryBack() async throws {
        let fixture = try StoreFixture()
        var notes: [Memory] = []
        for index in 0..<5 {
            notes.append(try await fixture.add("Archived note \(index) about the quarzite migration"))
        }
        fixture.clock.advance(days: 100)
        #expect(try await fixture.store.archive(policy, dryRun: false).memories == 5)

        // A read by id restores, and counts as a read.
        let read = try await fixture.store.get(notes[0].id)
        #expect(read.archived == false && read.content == notes[0].content && read.accessCount == 1)
        // An update restores with the new text; a delete leaves an ordinary tombstone.
        let updated = try await fixture.service.update(notes[1].id, .init(content: "Quarzite migration, revised"), by: .cli)
        #expect(updated.archived == false)
        _ = try await fixture.service.delete(notes[2].id, by: .cli)
        // One by one, then in bulk; an id that is not archived is passed over.
        #expect(try await fixture.store.restore([notes[3].id, notes[0].id]) == 1)
        #expect(try await fixture.store.restoreAll() == 1)
        #expect(try await fixture.store.archiveSize().memories == 0)

        let found = try await fixture.service.search(SearchRequest(query: "quarzite", limit: 10))
        #expect(Set(found.map(\.memory.id)) == Set([notes[0], notes[1], notes[3], notes[4]].map(\.id)))
        #expect(try await fixture.store.checkIntegrity().ok)
        // Nothing was lost: the search just read the four; 100 days later each has been read at
        // most twice, and they all go again.
        fixture.clock.advance(days: 100)
        #expect(try await fixture.store.archive(policy, dryRun: false).memories == 4)
        #expect(try await fixture.store.read(notes[4].id).content == notes[4].content)
    }

    @Test func pruneAndTheIndexRebuildKeepTheArchiveWhole() async throws {
        let fixture = try StoreFixture()
        _ = try await fixture.add("An expiring note about lanthanum", ttlDays: 120)
        let kept = try await fixture.add("A lasting note about lanthanum")
        fixture.clock.advance(days: 100)
        #expect(try await fixture.store.archive(policy, dryRun: false).memories == 2)
        fixture.clock.advance(days: 30)
        #expect(try await fixture.service.prune(dryRun: false, by: .cli).expired.count == 1)
        #expect(try await fixture.store.checkIntegrity().ok)
        var request = SearchRequest(query: "lanthanum", limit: 10)
        request.filter.includeArchived = true
        #expect(try await fixture.service.search(request).map(\.memory.id) == [kept.id])
    }
}
