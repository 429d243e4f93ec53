import Foundation
import TMWSCore

/// What `tmws hub admin` lists: tenants, their users, devices and teams.
extension HubAdmin {
    package struct Tenant: Codable, Sendable, Hashable {
        package var id: UUID
        package var name: String
        package var users: Int
        package var teams: Int
        package var devices: Int

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(HubAdmin.text(id), forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(users, forKey: .users)
            try container.encode(teams, forKey: .teams)
            try container.encode(devices, forKey: .devices)
        }
    }

    package struct User: Codable, Sendable, Hashable {
        package var id: UUID
        package var name: String
        package var teams: [String]
        package var devices: [Device]

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(HubAdmin.text(id), forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(teams, forKey: .teams)
            try container.encode(devices, forKey: .devices)
        }
    }

    package struct Device: Codable, Sendable, Hashable {
        package var id: UUID
        package var name: String
        package var revoked: Bool
        package var lastSeen: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, revoked
            case lastSeen = "last_seen"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(HubAdmin.text(id), forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(revoked, forKey: .revoked)
            try container.encode(lastSeen.map(ISO8601.string(from:)), forKey: .lastSeen)
        }
    }

    package struct Team: Codable, Sendable, Hashable {
        package var id: UUID
        package var name: String
        package var members: [String]

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(HubAdmin.text(id), forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(members, forKey: .members)
        }
    }

    /// What `list --tenant` shows.
    package struct TenantDetails: Codable, Sendable, Hashable {
        package var tenant: Tenant
        package var users: [User]
        package var teams: [Team]
    }
}
