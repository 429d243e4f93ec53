/// Who a device is on its hub: what `GET /v1/identity` answers, derived by the hub from the
/// device's credential. Ids are lower-case UUID strings.
public struct HubIdentity: Codable, Sendable, Hashable {
    public struct Team: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var role: String

        public init(id: String, name: String, role: String) {
            self.id = id
            self.name = name
            self.role = role
        }
    }

    public var tenantID: String
    public var tenantName: String
    public var userID: String
    public var userName: String
    public var deviceID: String
    public var deviceName: String
    public var teams: [Team]

    public init(
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
