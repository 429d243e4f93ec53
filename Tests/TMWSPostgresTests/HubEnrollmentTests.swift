import Foundation
import Logging
import TMWSCore
import TMWSHubDomain
import TMWSPostgres
import Testing

/// Enrollment refuses what the hub's input rules refuse, before the token is spent.
@Suite(.serialized) struct HubEnrollmentTests {
    static let logger = Logger(label: "test")

    @Test func aBadNameOrAKeyOfSmallOrderIsRefusedAndTheTokenStaysGood() async throws {
        let running = try await TestCluster.shared.start()
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            let store = HubStore(database: database, logger: Self.logger)
            let name = "enroll-\(UUID().uuidString.prefix(8))"
            let token = try await withConnection(running.owner) { db in
                let admin = HubAdmin(connection: db, logger: Self.logger)
                _ = try await admin.createTenant(name: name)
                _ = try await admin.createUser(tenant: name, name: "ann")
                return try await admin.enrollToken(tenant: name, user: "ann").token
            }
            let signing = Array(repeating: UInt8(9), count: 32)
            // The zero point: every team key wrapped to this device would be public.
            let smallOrder = Array(repeating: UInt8(0), count: 32)
            for (deviceName, agreement) in [("laptop", smallOrder), ("evil\u{1b}[2J", signing)] {
                await #expect(throws: TMWSError.self, "\(deviceName.debugDescription)") {
                    try await store.enroll(token: token, deviceName: deviceName, agreementKey: agreement, signingKey: signing)
                }
            }
            let (credential, identity) = try await store.enroll(token: token, deviceName: "laptop", agreementKey: signing, signingKey: signing)
            #expect(identity.deviceName == "laptop" && credential.hasPrefix("tmwsd_"))
            group.cancelAll()
        }

    }
}
