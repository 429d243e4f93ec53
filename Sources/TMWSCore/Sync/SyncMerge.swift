/// How every replica (each node and the hub) decides between the version of a memory it holds
/// and a change that arrives: one rule, so all of them keep the same winner whatever order
/// the changes arrive in.
///
/// A version is named by its hybrid-logical-clock reading and the device that wrote it (the
/// version *number* is not unique: two devices editing version 3 both write a version 4).
/// A change whose base is the held version follows from it; any other change is concurrent.
/// Either way the winner is the greater ``ReplicaVersion``: a tombstone over any live version
/// (deletes win, and a deleted memory stays deleted), then the later clock, then the greater
/// device id. That order is total, so keeping the greatest is commutative, associative and
/// idempotent: replicas that have seen the same changes hold the same version.
package enum SyncMerge {
    package enum Decision: Sendable, Hashable {
        /// The replica already holds exactly this version (a replay, or its own change back).
        case same
        /// The incoming change becomes the held version.
        case takeIncoming(concurrent: Bool)
        /// The held version stays; the incoming change lost to it.
        case keepCurrent(concurrent: Bool)

        /// Whether the change did not follow from the held version (both sides changed it).
        package var concurrent: Bool {
            switch self {
            case .same: false
            case .takeIncoming(let concurrent), .keepCurrent(let concurrent): concurrent
            }
        }
    }

    /// Decides for `incoming` against the version the replica holds (`nil`: none).
    package static func decide(_ incoming: ChangeEvent, current: ReplicaVersion?) -> Decision {
        guard let current else { return .takeIncoming(concurrent: false) }
        let arriving = incoming.replicaVersion
        if arriving.clock == current.clock, arriving.device == current.device { return .same }
        let follows = !current.deleted && incoming.baseClock == current.clock && incoming.baseDevice == current.device
        return arriving > current ? .takeIncoming(concurrent: !follows) : .keepCurrent(concurrent: !follows)
    }
}

/// A version of a memory as the merge rule orders it.
package struct ReplicaVersion: Sendable, Hashable, Comparable {
    package var clock: HybridTimestamp
    package var device: String
    package var deleted: Bool

    package init(clock: HybridTimestamp, device: String, deleted: Bool) {
        self.clock = clock
        self.device = device
        self.deleted = deleted
    }

    /// A memory's version; one moved out of the cloud scopes is, for the cloud, deleted.
    package init(_ memory: Memory) {
        self.init(clock: memory.updatedAt, device: memory.originDevice, deleted: memory.deleted || !memory.scope.isCloud)
    }

    /// Tombstones order above live versions; then the clock; then the device id.
    package static func < (lhs: ReplicaVersion, rhs: ReplicaVersion) -> Bool {
        if lhs.deleted != rhs.deleted { return rhs.deleted }
        if lhs.clock != rhs.clock { return lhs.clock < rhs.clock }
        return lhs.device < rhs.device
    }
}

extension ChangeEvent {
    /// The version this change makes.
    package var replicaVersion: ReplicaVersion {
        ReplicaVersion(clock: clock, device: device, deleted: operation == .delete)
    }
}
