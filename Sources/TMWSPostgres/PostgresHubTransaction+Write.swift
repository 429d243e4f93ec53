import Foundation
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// A push's writes: each memory's final version and the change log, over arrays.
extension PostgresHubTransaction {
    /// Writes what the batch decided: each memory's final version (new rows inserted, held
    /// ones updated), then the change log in the batch's order — at most four statements,
    /// each over arrays, whatever the batch's size.
    package func write(_ batch: PushBatch) async throws {
        guard !batch.applied.isEmpty else { return }
        var inserts = MemoryRows()
        var updates = MemoryRows()
        var sealedInserts = SealedRows()
        var sealedUpdates = SealedRows()
        var tombstones: (ids: [UUID], versions: [Int], clocks: [Int64], devices: [String]) = ([], [], [], [])
        for final in batch.finalVersions {
            if final.event.sealed != nil, final.event.operation != .delete {
                if final.inDatabase { sealedUpdates.append(final.event) } else { sealedInserts.append(final.event) }
                continue
            }
            // A live version, or the tombstone of a memory this batch created (its row needs
            // the fields of the version it replaces).
            if let fields = final.event.memory ?? (final.inDatabase ? nil : final.lastFields) {
                if final.inDatabase { updates.append(final.event, fields) } else { inserts.append(final.event, fields) }
            } else if final.inDatabase {
                tombstones.ids.append(final.event.memoryID.uuid)
                tombstones.versions.append(final.event.version)
                tombstones.clocks.append(final.event.clock.rawValue)
                tombstones.devices.append(final.event.device)
            }
        }
        if !inserts.ids.isEmpty {
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, deleted,
                                           content, search_text, tags, importance, metadata, agent_id, created_at, expires_at, classification)
                SELECT \(device.tenantID), r.id, 'GLOBAL', \(device.userID), r.ns, r.v, r.h, r.d, r.del, r.c, NULLIF(r.s, ''),
                       r.t::text[], r.imp, r.m::jsonb, r.a, r.cr::timestamptz,
                       NULLIF(r.ex, '')::timestamptz, NULLIF(r.cl, '')::jsonb
                FROM unnest(\(inserts.ids)::uuid[], \(inserts.namespaces)::text[], \(inserts.versions)::integer[], \(inserts.clocks)::bigint[],
                            \(inserts.devices)::text[], \(inserts.deleted)::boolean[], \(inserts.contents)::text[], \(inserts.searchTexts)::text[],
                            \(inserts.tags)::text[], \(inserts.importances)::double precision[], \(inserts.metadata)::text[],
                            \(inserts.agents)::text[], \(inserts.created)::text[], \(inserts.expires)::text[], \(inserts.classifications)::text[])
                     AS r(id, ns, v, h, d, del, c, s, t, imp, m, a, cr, ex, cl)
                """,
                logger: logger
            )
        }
        if !updates.ids.isEmpty {
            try await db.query(
                """
                UPDATE tmws.memories AS mem SET scope = 'GLOBAL', team_id = NULL, key_epoch = NULL, header = NULL, ciphertext = NULL,
                    namespace = r.ns, version = r.v, hlc = r.h, origin_device = r.d, deleted = r.del, content = r.c,
                    search_text = NULLIF(r.s, ''), tags = r.t::text[], importance = r.imp,
                    metadata = r.m::jsonb, agent_id = r.a, expires_at = NULLIF(r.ex, '')::timestamptz, classification = NULLIF(r.cl, '')::jsonb,
                    updated_at = now()
                FROM unnest(\(updates.ids)::uuid[], \(updates.namespaces)::text[], \(updates.versions)::integer[], \(updates.clocks)::bigint[],
                            \(updates.devices)::text[], \(updates.deleted)::boolean[], \(updates.contents)::text[], \(updates.searchTexts)::text[],
                            \(updates.tags)::text[], \(updates.importances)::double precision[], \(updates.metadata)::text[],
                            \(updates.agents)::text[], \(updates.expires)::text[], \(updates.classifications)::text[])
                     AS r(id, ns, v, h, d, del, c, s, t, imp, m, a, ex, cl)
                WHERE mem.memory_id = r.id
                """,
                logger: logger
            )
        }
        if !sealedInserts.ids.isEmpty {
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, team_id, owner_user_id, namespace, version, hlc, origin_device, deleted,
                                           content, created_at, key_epoch, header, ciphertext)
                SELECT \(device.tenantID), r.id, 'SHARED', r.tm, \(device.userID), '', r.v, r.h, r.d, false, NULL, now(), r.e,
                       decode(r.hd, 'base64'), decode(r.ct, 'base64')
                FROM unnest(\(sealedInserts.ids)::uuid[], \(sealedInserts.teams)::uuid[], \(sealedInserts.versions)::integer[],
                            \(sealedInserts.clocks)::bigint[], \(sealedInserts.devices)::text[], \(sealedInserts.epochs)::integer[],
                            \(sealedInserts.headers)::text[], \(sealedInserts.ciphertexts)::text[])
                     AS r(id, tm, v, h, d, e, hd, ct)
                """,
                logger: logger
            )
        }
        if !sealedUpdates.ids.isEmpty {
            try await db.query(
                """
                UPDATE tmws.memories AS mem SET scope = 'SHARED', team_id = r.tm, namespace = '', version = r.v, hlc = r.h, origin_device = r.d,
                    deleted = false, content = NULL, search_text = NULL, tags = '{}', metadata = '{}', classification = NULL, agent_id = '',
                    key_epoch = r.e, header = decode(r.hd, 'base64'), ciphertext = decode(r.ct, 'base64'), updated_at = now()
                FROM unnest(\(sealedUpdates.ids)::uuid[], \(sealedUpdates.teams)::uuid[], \(sealedUpdates.versions)::integer[],
                            \(sealedUpdates.clocks)::bigint[], \(sealedUpdates.devices)::text[], \(sealedUpdates.epochs)::integer[],
                            \(sealedUpdates.headers)::text[], \(sealedUpdates.ciphertexts)::text[])
                     AS r(id, tm, v, h, d, e, hd, ct)
                WHERE mem.memory_id = r.id
                """,
                logger: logger
            )
        }
        if !tombstones.ids.isEmpty {
            try await db.query(
                """
                UPDATE tmws.memories AS mem SET deleted = true, content = CASE WHEN mem.scope = 'SHARED' THEN NULL ELSE '' END,
                    search_text = NULL, tags = '{}', metadata = '{}', header = NULL, ciphertext = NULL,
                    classification = NULL, version = r.v, hlc = r.h, origin_device = r.d, updated_at = now()
                FROM unnest(\(tombstones.ids)::uuid[], \(tombstones.versions)::integer[], \(tombstones.clocks)::bigint[], \(tombstones.devices)::text[])
                     AS r(id, v, h, d)
                WHERE mem.memory_id = r.id
                """,
                logger: logger
            )
        }
        let applied = batch.applied
        try await db.query(
            """
            INSERT INTO tmws.change_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload, scope, team_id)
            SELECT \(device.tenantID), r.e, r.m, r.o, r.v, r.h, \(device.deviceID), r.p::jsonb,
                   CASE WHEN r.tm = '' THEN 'GLOBAL' ELSE 'SHARED' END, NULLIF(r.tm, '')::uuid
            FROM unnest(\(applied.map { UUID(uuidString: $0.eventID)! })::uuid[], \(applied.map(\.memoryID.uuid))::uuid[],
                        \(applied.map(\.operation.rawValue))::text[], \(applied.map(\.version))::integer[], \(applied.map(\.clock.rawValue))::bigint[],
                        \(applied.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })::text[],
                        \(applied.map { $0.sealed == nil ? "" : $0.team ?? "" })::text[])
                 WITH ORDINALITY AS r(e, m, o, v, h, p, tm, n)
            ORDER BY r.n
            """,
            logger: logger
        )
    }
}
