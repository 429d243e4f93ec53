import ArgumentParser
import Foundation
import TMWSCore
import TMWSHost
import TMWSSync

/// `tmws sync`: moving GLOBAL memories between this node and its hub.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push this node's GLOBAL changes to the hub and pull the tenant's.",
        discussion: """
            Needs hybrid mode on (TMWS_HYBRID_MODE_ENABLED=true) and the node enrolled ('tmws cloud \
            enroll'); otherwise nothing is sent and changes wait in the outbox. Pushed in write order, \
            batch by batch; pulled changes are applied with their cursor in one transaction, so an \
            interrupted sync repeats nothing and loses nothing.
            """,
        subcommands: [Now.self, Status.self, Quarantine.self, Offline.self, Pause.self, Resume.self]
    )

    struct Now: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Push everything pending, then pull everything new, now.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let summary = try await NodeSync(context: context, store: try await context.openStore()).syncNow()
            if global.json {
                try Terminal.printJSON(summary)
            } else {
                print("pushed \(summary.pushed), pulled \(summary.pulled), refused \(summary.refused), quarantined \(summary.quarantined), pending \(summary.pending)")
                for refusal in summary.refusals { FileHandle.standardError.write(Data("refused \(refusal)\n".utf8)) }
            }
            if let problem = summary.problem { throw TMWSError(.io, "sync stopped: \(problem)") }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending events, the pull cursor, hybrid mode and enrollment.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let status = try await NodeSync(context: context, store: try await context.openStore()).status()
            if global.json { return try Terminal.printJSON(status) }
            var table = TextTable("", "")
            table.append(["hybrid mode", status.hybridMode ? "on" : "off"])
            table.append(["enrolled", status.enrolled ? "yes" : "no"])
            table.append(["offline mode", status.offline ? "on" : "off"])
            table.append(["paused", status.paused ? "yes" : "no"])
            table.append(["pending events", String(status.pending)])
            table.append(["quarantined", String(status.quarantined)])
            table.append(["pull cursor", status.cursor ?? "(never pulled)"])
            print(table.render())
        }
    }
}

/// `tmws sync offline on|off`, `pause`, `resume`: the roadmap's rollback levers.
extension SyncCommand {
    struct Offline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn offline mode on or off: writes keep working, nothing is sent until it is off.",
            discussion: "Pending changes stay in the outbox and are sent, in order, by the next sync after 'off'."
        )
        @Argument(help: "on or off.") var state: String
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard ["on", "off"].contains(state) else { throw ValidationError("give on or off") }
        }

        func run() async throws {
            let context = try AppContext(options: global)
            try await NodeSync(context: context, store: try await context.openStore()).setOffline(state == "on")
            if global.json { return try Terminal.printJSON(["offline": state == "on"]) }
            print("offline mode \(state)")
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause all sync (writes keep working and wait in the outbox).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await AppContext(options: global).openStore()
            try await store.setSyncSetting("paused", "true")
            if global.json { return try Terminal.printJSON(["paused": true]) }
            print("sync paused")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume sync after 'pause'.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await AppContext(options: global).openStore()
            try await store.setSyncSetting("paused", nil)
            if global.json { return try Terminal.printJSON(["paused": false]) }
            print("sync resumed")
        }
    }
}

/// `tmws sync quarantine`.
extension SyncCommand {
    struct Quarantine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Outgoing changes the second check stopped: finding types, never the values.",
            discussion: "Each was removed from the outbox before it was sent and stays on this machine. Edit or delete the memory to move on."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let events = try await context.openStore().quarantinedEvents()
            if global.json { return try Terminal.printJSON(QuarantineList(count: events.count, events: events)) }
            guard !events.isEmpty else { return print("nothing in quarantine") }
            var table = TextTable("EVENT", "MEMORY", "FINDINGS", "SINCE")
            for event in events { table.append([event.eventID, event.memoryID, event.findingTypes.joined(separator: ","), event.quarantinedAt]) }
            print(table.render())
        }
    }
}

struct QuarantineList: Encodable {
    var count: Int
    var events: [QuarantinedEvent]
}

