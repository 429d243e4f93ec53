import Foundation

/// The bounds every change event from another device is held to, by the hub when it is
/// pushed and by every node when it is pulled: a node trusts only itself (DESIGN §5).
///
/// A peer's numbers are input like any other. Without these bounds one event could poison a
/// whole tenant: a clock near `Int64.max` makes every receiver's hybrid clock overflow, a
/// version at `Int32.max` makes the next edit overflow the hub's column, a date in year 1 or
/// a NUL character makes PostgreSQL refuse the batch, and an oversized content blocks every
/// pull. Each is refused here, with a reason that names the field, never its value.
package struct EventBounds: Sendable, Hashable {
    /// The limits a memory's fields are held to (the node's own, the same on the hub).
    package var limits: MemoryLimits
    /// How far ahead of the receiver's own wall clock an event's clock may be. Default 15
    /// minutes: hybrid-logical-clock systems bound the offset the same way (CockroachDB
    /// refuses a peer 500 ms off); laptops drift more than servers, so the bound is wider,
    /// and still keeps clocks far from overflow and a skewed device from winning every
    /// conflict for long.
    package var maximumClockOffset: Duration

    /// The highest version a memory may reach. The hub stores versions as 32-bit integers;
    /// the headroom above this bound means no edit of a valid version can overflow.
    package static let maximumVersion = 1_000_000_000
    /// The highest team key epoch a sealed change may name.
    package static let maximumEpoch = 1_000_000
    /// Dates a memory may carry (created, expires): from 1970 to the end of year 9999, a range
    /// SQLite, PostgreSQL and ISO 8601 all hold.
    package static let dates: ClosedRange<Date> = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799)
    /// The most entries in a classification record's reasons or warnings, and the longest one.
    package static let maximumReasons = 32
    package static let maximumReasonLength = 200

    package init(limits: MemoryLimits = MemoryLimits(), maximumClockOffset: Duration = .seconds(15 * 60)) {
        self.limits = limits
        self.maximumClockOffset = maximumClockOffset
    }

    /// The latest clock reading acceptable at `now`.
    package func latestClock(at now: Date) -> HybridTimestamp {
        let offset = maximumClockOffset.components
        let millis = (now.timeIntervalSince1970 + Double(offset.seconds) + Double(offset.attoseconds) / 1e18) * 1000
        return HybridTimestamp(millis: Int64(min(max(millis, 0), Double(HybridTimestamp.maximumMillis))), counter: .max)
    }
}

extension ChangeEvent {
    /// Why this event cannot be taken from another device, or `nil` when it is within
    /// `bounds`. The reason names the field and the rule, never a value.
    ///
    /// - Parameter now: the receiver's wall clock.
    package func refusal(receivedAt now: Date, bounds: EventBounds = EventBounds()) -> String? {
        guard formatVersion == Self.formatVersion else { return "event format \(formatVersion) is not supported" }
        guard Self.isIdentifier(eventID) else { return "event_id must be 1 to 64 letters, digits or .-_:" }
        guard (1...EventBounds.maximumVersion).contains(version) else { return "version must be from 1 to \(EventBounds.maximumVersion)" }
        if let baseVersion, !(1..<version).contains(baseVersion) { return "base_version must be at least 1 and below version" }
        guard (operation == .create) == (baseVersion == nil) else { return "a create has no base_version; an update or delete has one" }
        let latest = bounds.latestClock(at: now)
        guard clock.rawValue > 0, clock <= latest else {
            return clock.rawValue > 0
                ? "hlc is more than \(bounds.maximumClockOffset) ahead of this clock (check the author's system clock)" : "hlc must be positive"
        }
        if let baseClock, !(1...clock.rawValue).contains(baseClock.rawValue) { return "base_hlc must be positive and not after hlc" }
        guard Self.isIdentifier(device) else { return "device must be 1 to 64 letters, digits or .-_:" }
        if let baseDevice, !Self.isIdentifier(baseDevice) { return "base_device must be 1 to 64 letters, digits or .-_:" }
        if let team, !Self.isIdentifier(team) { return "team must be 1 to 64 letters, digits or .-_:" }
        if let sealed, let problem = sealed.refusal(bounds: bounds) { return problem }
        if let memory, let problem = memory.refusal(bounds: bounds) { return problem }
        if let memory, memory.supersedes == memoryID { return "memory.supersedes names the memory itself" }
        if vector != nil {
            // In clear beside a GLOBAL memory's fields; a SHARED memory's vector travels inside
            // its envelope, and is on the event only once a node has opened it.
            guard let memory, memory.scope == .global || (memory.scope == .shared && sealed != nil) else {
                return "a vector rides in clear only with a GLOBAL memory's fields (a SHARED one's is sealed with them)"
            }
        }
        return nil
    }

    /// Why `device` cannot name a device, or `nil`.
    package static func refusal(ofDevice device: String) -> String? {
        isIdentifier(device) ? nil : "device must be 1 to 64 letters, digits or .-_:"
    }

    /// At most 64 ASCII letters, digits and `.-_:` — the shape of every id TMWS makes (UUIDs).
    static func isIdentifier(_ text: String) -> Bool {
        let utf8 = text.utf8
        return (1...64).contains(utf8.count)
            && utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
                case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"): true
                default: false
                }
            }
    }
}

extension SealedEnvelope {
    func refusal(bounds: EventBounds) -> String? {
        guard (0...EventBounds.maximumEpoch).contains(epoch) else { return "sealed.epoch is out of range" }
        // Base64 of the fields: the content (4 bytes a character at most), the tags and the
        // metadata, with room for the envelope's own bytes.
        let limits = bounds.limits
        let plain = limits.maximumContentLength * 4 + limits.maximumTagCount * limits.maximumTagLength * 4 + limits.maximumMetadataBytes
        let maximum = (plain + 64 * 1024) / 3 * 4
        for (name, text) in [("header", header), ("wrapped_key", wrappedKey), ("signature", signature)] where text.utf8.count > 4096 {
            return "sealed.\(name) is too long"
        }
        guard ciphertext.utf8.count <= maximum else { return "sealed.ciphertext is larger than a memory can be" }
        return nil
    }
}

extension ReplicatedMemory {
    /// Why these fields cannot be taken from another device, or `nil`.
    func refusal(bounds: EventBounds) -> String? {
        guard scope.isCloud else { return "\(scope.rawValue) memories never leave the node" }
        guard ChangeEvent.isIdentifier(tenantID) else { return "memory.tenant_id must be 1 to 64 letters, digits or .-_:" }
        let validator = MemoryValidator(limits: bounds.limits)
        do {
            _ = try validator.validateContent(content)
            guard try validator.validateTags(tags).count == tags.count else { return "memory.tags must be unique" }
            _ = try validator.validateImportance(importance)
            _ = try validator.validateMetadata(metadata)
        } catch let error as TMWSError {
            return "memory.\(error.field ?? "fields") is not valid (\(error.message))"
        } catch {
            return "memory's fields are not valid"
        }
        if metadata.keys.contains(where: { $0.unicodeScalars.contains("\u{0}") }) { return "memory.metadata contains a NUL character" }
        guard agentID.isEmpty || Caller(clientSuppliedName: agentID)?.agentID == agentID else {
            return "memory.agent_id must be 1 to 64 letters, digits or ._-:@"
        }
        guard EventBounds.dates.contains(createdAt) else { return "memory.created_at must be between 1970 and 9999" }
        if let expiresAt, !EventBounds.dates.contains(expiresAt) { return "memory.expires_at must be between 1970 and 9999" }
        if pinned, expiresAt != nil { return "memory.pinned cannot go with memory.expires_at (a pinned memory never expires)" }
        if let classification, let problem = classification.refusal() { return problem }
        return nil
    }
}

extension ClassificationRecord {
    func refusal() -> String? {
        guard confidence.isFinite, (0...1).contains(confidence) else { return "memory.classification.confidence must be between 0 and 1" }
        for (name, list) in [("reasons", reasons), ("warnings", warnings), ("finding_types", findingTypes)] {
            guard list.count <= EventBounds.maximumReasons,
                list.allSatisfy({ text in
                    text.utf8.count <= EventBounds.maximumReasonLength
                        && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
                })
            else {
                return "memory.classification.\(name) must be at most \(EventBounds.maximumReasons) lines of \(EventBounds.maximumReasonLength) bytes"
            }
        }
        guard findingTypes.allSatisfy(ChangeEvent.isIdentifier) else { return "memory.classification.finding_types must be identifiers" }
        return nil
    }
}

extension ChangeEvent {
    /// Why a node refuses this change given the version it holds of the memory (`nil`: none),
    /// or `nil` to let ``SyncMerge`` decide. A remote change never touches a memory this node
    /// holds in a local scope (a PRIVATE memory, or one moved out of the cloud here), nor
    /// updates or deletes one it never held: a peer or the hub may name any id.
    package func refusal(holding held: Memory?) -> String? {
        guard let held else {
            return operation == .create ? nil : "an \(operation.rawValue) of a memory this node never held"
        }
        guard held.scope.isCloud else { return "the memory is \(held.scope.rawValue) on this node" }
        // A memory is sealed (SHARED, one team's) or not (GLOBAL) for good, and stays in the
        // team it was made in: a change that mixes them would let a hub or another team's
        // member overwrite or delete it.
        let heldShared = held.scope == .shared
        if heldShared, sealed == nil { return "a SHARED memory changes only by sealed (end-to-end encrypted) changes" }
        if !heldShared, sealed != nil { return "a GLOBAL memory never takes a sealed change (a memory is sealed or not for good)" }
        if heldShared, let team = held.team, team.lowercased() != self.team?.lowercased() {
            return "a SHARED memory stays in the team it was made in; this change is sealed for another team"
        }
        return nil
    }
}
