/// Who a device is on its hub: what `GET /v1/identity` answers, derived by the hub from the
/// device's credential. Ids are lower-case UUID strings.
package struct HubIdentity: Codable, Sendable, Hashable {
    package struct Team: Codable, Sendable, Hashable {
        package var id: String
        package var name: String
        package var role: String

        package init(id: String, name: String, role: String) {
            self.id = id
            self.name = name
            self.role = role
        }
    }

    package var tenantID: String
    package var tenantName: String
    package var userID: String
    package var userName: String
    package var deviceID: String
    package var deviceName: String
    package var teams: [Team]

    package init(
        tenantID: String, tenantName: String, userID: String, userName: String, deviceID: String, deviceName: String, teams: [Team]
    ) {
        self.tenantID = tenantID
        self.tenantName = tenantName
        self.userID = userID
        self.userName = userName
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.teams = teams
    }

    enum CodingKeys: String, CodingKey {
        case teams
        case tenantID = "tenant_id"
        case tenantName = "tenant_name"
        case userID = "user_id"
        case userName = "user_name"
        case deviceID = "device_id"
        case deviceName = "device_name"
    }
}
