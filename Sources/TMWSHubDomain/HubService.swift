import Foundation
import TMWSCore
import TMWSCrypto

/// What the hub's HTTP API asks of the hub: every operation a device may make, each acting
/// as the device its credential authenticated. The PostgreSQL adapter implements it
/// (`HubStore`); the API never sees a database.
package protocol HubService: Sendable {
    /// The device a credential belongs to; `unauthorized` for anything else, without saying which.
    func authenticate(_ credential: String) async throws -> AuthenticatedDevice
    /// Turns a one-time enrollment token into a device and its credential (returned once).
    func enroll(token: String, deviceName: String, agreementKey: [UInt8]?, signingKey: [UInt8]?) async throws
        -> (credential: String, identity: HubIdentity)
    func identity(of device: AuthenticatedDevice) async throws -> HubIdentity

    func createTeam(_ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument
    func team(_ team: UUID, as device: AuthenticatedDevice) async throws -> TeamDocument
    func appendTeamEntry(_ team: UUID, _ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument
    func devices(ofUser user: String, as device: AuthenticatedDevice) async throws -> UserDevices
    func deviceNames(as device: AuthenticatedDevice) async throws -> DeviceNames
    func registerKeys(agreement: [UInt8], signing: [UInt8], as device: AuthenticatedDevice) async throws

    func rolloutDecision(as device: AuthenticatedDevice) async throws -> RolloutDecision
    func globalMemory(_ id: UUID, as device: AuthenticatedDevice) async throws -> CloudMemory
    func searchGlobal(_ query: String, limit: Int, as device: AuthenticatedDevice) async throws -> [(memory: CloudMemory, score: Double)]
    /// The same for the holder of `credential`, authenticated with the search (a hub may do
    /// both in one step); `unauthorized` as ``authenticate(_:)`` says it.
    func searchGlobal(_ query: String, limit: Int, credential: String) async throws -> [(memory: CloudMemory, score: Double)]

    /// Every tenant's size, for the hub's own gauges (never for a device's request).
    func tenantStorage() async throws -> [TenantStorage]
    /// Writes down which GLOBAL memories were read since the last call (the cold tier moves
    /// only memories not read in a long time).
    func flushReads() async throws

    /// A push by the holder of `credential`, authenticated with it (see ``HubSync``).
    func push(_ events: [ChangeEvent], credential: String) async throws -> [PushResult]
    /// A page after the cursor a device sent (`nil`: from the start) with the next cursor
    /// sealed for it; refused if the cursor is not one this hub sealed for the device's tenant.
    func pull(cursor: String?, limit: Int, credential: String) async throws -> (page: PullPage, cursor: String)
}

extension HubService {
    package func searchGlobal(_ query: String, limit: Int, credential: String) async throws -> [(memory: CloudMemory, score: Double)] {
        try await searchGlobal(query, limit: limit, as: try await authenticate(credential))
    }
}
