extension HubSchema {
    /// Devices bound to the id they write on their changes, and each tenant's key for the
    /// cursors its devices see (6).
    static let deviceMigrations: [Migration] = [
        Migration(version: 6, name: "each device bound to the origin id its changes carry", sql: """
            -- The id a node writes as the author of its changes (its local device id). Bound by
            -- the device's first push and unique in the tenant, so one device cannot write
            -- changes in another's name.
            ALTER TABLE tmws.devices ADD COLUMN origin_device text
                CHECK (origin_device IS NULL OR origin_device ~ '^[A-Za-z0-9._:-]{1,64}$');
            CREATE UNIQUE INDEX devices_by_origin ON tmws.devices (tenant_id, origin_device);
            GRANT UPDATE (origin_device) ON tmws.devices TO {runtime};

            -- Random per tenant (each existing row gets its own): cursors are sealed with it, so
            -- a device never sees the hub-wide transaction ids they stand for.
            ALTER TABLE tmws.tenants ADD COLUMN cursor_key bytea NOT NULL
                DEFAULT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex');
            """),
    ]
}
