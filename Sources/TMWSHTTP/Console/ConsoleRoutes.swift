import Hummingbird
import TMWSCore
import TMWSHTTPCommon

/// The routes only the console needs beyond the memory API: this node's sync, its
/// conflicts, quarantine, teams and metrics (`/v1/sync`, `/v1/conflicts`, `/v1/teams`,
/// `/v1/health/metrics`), and the console's own page and files.
extension RESTAPI {
    func addConsoleRoutes(to router: Router<BasicRequestContext>, policy: AccessPolicy) {
        ConsoleAssets.register(on: router, csrfToken: policy.csrfToken)
        router.get("/v1/sync") { _, _ in
            json(try await requireNode().overview())
        }
        router.patch("/v1/sync") { request, _ in
            let body = try await decode(SyncSwitchesBody.self, from: request)
            let node = try requireNode()
            if let offline = body.offline { try await node.sync.setOffline(offline) }
            if let paused = body.paused { try await node.setPaused(paused) }
            return json(try await node.overview())
        }
        router.post("/v1/sync/now") { _, _ in
            json(try await requireNode().sync.syncNow())
        }
        router.get("/v1/sync/quarantine") { _, _ in
            let events = try await requireNode().quarantine()
            return json(QuarantineResult(count: events.count, events: events))
        }
        router.get("/v1/conflicts") { _, _ in
            let node = try requireNode()
            let conflicts = try await node.sync.conflicts()
            // Devices by name, not by ids nobody can see (the hub asked only when there is a conflict).
            let names = conflicts.isEmpty ? [:] : await node.deviceNames()
            return json(ConflictsResult(list: ConflictList(conflicts), thisDevice: node.deviceID, deviceNames: names))
        }
        router.post("/v1/conflicts/{id}") { request, context in
            let body = try await decode(ResolveBody.self, from: request)
            guard let keep = SyncConflict.Choice(rawValue: body.keep) else {
                throw TMWSError(.invalidInput, "'keep' must be \"local\", \"remote\" or \"merged\"", field: "keep")
            }
            return json(
                try await requireNode().sync.resolveConflict(try Self.id(context), keep: keep, content: body.content, by: caller(of: request)))
        }
        router.get("/v1/teams") { _, _ in
            json(try await requireNode().teams())
        }
        router.get("/v1/health/metrics") { _, _ in
            json(try await requireNode().roadmapMetrics())
        }
    }

    private func requireNode() throws -> any NodeConsole {
        guard let node else { throw TMWSError(.configuration, "this server does not manage a node's sync") }
        return node
    }
}

struct SyncSwitchesBody: StrictBody {
    static let keys = keyNames(CodingKeys.self)
    var offline: Bool?
    var paused: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case offline, paused
    }
}

struct ResolveBody: StrictBody {
    static let keys = keyNames(CodingKeys.self)
    var keep: String
    var content: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case keep, content
    }
}

/// `GET /v1/conflicts`: the conflicts as `tmws sync conflicts --json` lists them, with the
/// names of the devices on their sides.
struct ConflictsResult: Encodable {
    var list: ConflictList
    var thisDevice: String
    var deviceNames: [String: String]

    enum CodingKeys: String, CodingKey {
        case count, conflicts
        case thisDevice = "this_device"
        case deviceNames = "device_names"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(list.count, forKey: .count)
        try container.encode(list.conflicts, forKey: .conflicts)
        try container.encode(thisDevice, forKey: .thisDevice)
        try container.encode(deviceNames, forKey: .deviceNames)
    }
}

struct QuarantineResult: Encodable {
    var count: Int
    var events: [QuarantinedEvent]
}
