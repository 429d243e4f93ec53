import ArgumentParser
import Foundation
import TMWSCore
import TMWSHost
import TMWSHubClient
import TMWSSync

/// `tmws sync`: moving GLOBAL memories between this node and its hub.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push this node's GLOBAL and SHARED changes to the hub and pull the tenant's (SHARED ones end-to-end encrypted for their team).",
        discussion: """
            Needs hybrid mode on (TMWS_HYBRID_MODE_ENABLED=true) and the node enrolled ('tmws cloud \
            enroll'); otherwise nothing is sent and changes wait in the outbox. Pushed in write order, \
            batch by batch; pulled changes are applied with their cursor in one transaction, so an \
            interrupted sync repeats nothing and loses nothing.

            Concurrent edits of one memory are decided the same way on every device: a delete \
            wins over edits; otherwise the later hybrid-clock reading wins (then the greater device \
            id). When both edits changed the content of a memory at least as important as \
            hybrid.conflict_importance (default 0.7), the losing version is kept as a conflict: \
            'tmws sync conflicts' lists them, 'tmws sync resolve' settles one.
            """,
        subcommands: [
            Now.self, Status.self, Conflicts.self, Resolve.self, Quarantine.self, Offline.self, Pause.self, Resume.self,
        ]
    )

    struct Now: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Push everything pending, then pull everything new, now.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let store = try await context.openStore()
            // A bar on a terminal while the pending events go out, then a count of those coming in.
            let bar = SyncProgressDisplay(pending: try await store.pendingEventCount())
            let summary = try await NodeSync(context: context, store: store).syncNow(progress: bar.update)
            bar.finish()
            if global.json {
                try Terminal.printJSON(summary)
            } else {
                print(
                    "pushed \(summary.pushed), pulled \(summary.pulled), conflicts \(summary.conflicts), refused \(summary.refused), "
                        + "quarantined \(summary.quarantined), pending \(summary.pending)"
                )
                for refusal in summary.refusals { FileHandle.standardError.write(Data("refused \(refusal)\n".utf8)) }
                if summary.pulledRefused > 0 {
                    FileHandle.standardError.write(
                        Data(
                            "this node refused \(summary.pulledRefused) pulled change(s); last: \(summary.lastPullRefusal ?? "?")\n".utf8
                        ))
                }
                if summary.sealedWaiting > 0 {
                    FileHandle.standardError.write(
                        Data(
                            "\(summary.sealedWaiting) SHARED change(s) wait unopened: \(summary.sealedWaitingReason ?? "no key yet")\n".utf8
                        ))
                }
                if summary.conflicts > 0 { FileHandle.standardError.write(Data("see the conflicts with: tmws sync conflicts\n".utf8)) }
            }
            if let problem = summary.problem { throw TMWSError(.io, "sync stopped: \(problem)") }
            // Something refused is something a script must see: exit 1 (the hub's reasons, or
            // the pulled changes this node would not take, are on standard error).
            if summary.refused > 0 || summary.pulledRefused > 0 { throw ExitCode(ExitStatus.failure) }
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
            table.append(["offline mode", status.offlineReason.map { "on (\($0))" } ?? "off"])
            table.append(["paused", status.paused ? "yes" : "no"])
            table.append(["pending events", String(status.pending)])
            table.append(["quarantined", String(status.quarantined)])
            table.append(["conflicts", String(status.conflicts)])
            table.append(["last success", status.lastSuccess ?? "(never)"])
            table.append(["failures in a row", String(status.consecutiveFailures)])
            if let lastError = status.lastError { table.append(["last error", lastError]) }
            if status.sealedRefused > 0 {
                table.append(["SHARED changes refused", "\(status.sealedRefused) (last: \(status.lastSealedRefusal ?? "?"))"])
            }
            if status.sealedWaiting > 0 {
                table.append(["SHARED changes waiting", "\(status.sealedWaiting): \(status.sealedWaitingReason ?? "no key yet")"])
            }
            if status.pullRefused > 0 {
                table.append(["pulled changes refused", "\(status.pullRefused) (last: \(status.lastPullRefusal ?? "?"))"])
            }
            for team in status.forkedTeams {
                table.append([
                    "FORKED TEAM LOG",
                    "\(team): a member's change named another log than this device's; compare 'tmws team show' with an admin, then 'tmws team clear-alarms'",
                ])
            }
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

        func run() async throws { try await SyncCommand.setPaused(true, global) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume sync after 'pause'.")
        @OptionGroup var global: GlobalOptions

        func run() async throws { try await SyncCommand.setPaused(false, global) }
    }

    /// `pause` and `resume`.
    static func setPaused(_ paused: Bool, _ global: GlobalOptions) async throws {
        let store = try await AppContext(options: global).openStore()
        try await store.changeSyncSettings { $0.paused = paused }
        if global.json { return try Terminal.printJSON(["paused": paused]) }
        print(paused ? "sync paused" : "sync resumed")
    }
}

/// `tmws sync conflicts`, `tmws sync resolve`.
extension SyncCommand {
    struct Conflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Concurrent edits kept for you: this device's version (local) and the other device's (remote).",
            discussion: "The memory already holds the winner of last-writer-wins (marked *); the other version is kept here until 'tmws sync resolve'."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let store = try await context.openStore()
            let node = NodeSync(context: context, store: store)
            let conflicts = try await node.conflicts()
            if global.json { return try Terminal.printJSON(ConflictList(conflicts)) }
            guard !conflicts.isEmpty else { return print("no conflicts") }
            // Devices by name: this one, and the tenant's as the hub knows them (asked only
            // with hybrid mode on; otherwise a short id).
            var names = await node.deviceNames()
            names[store.deviceID] = "this device"
            let name: (String) -> String = { names[$0] ?? "device " + String($0.prefix(8)) }
            var table = TextTable("MEMORY", "SIDE", "DEVICE", "WRITTEN", "CONTENT")
            for conflict in conflicts {
                for (side, event) in [(SyncConflict.Side.local, conflict.local), (.remote, conflict.remote)] {
                    table.append([
                        side == .local ? conflict.memoryID.description : "", side.rawValue + (conflict.winner == side ? " *" : ""),
                        name(event.device), ISO8601.string(from: event.clock.date), TextTable.excerpt(event.memory?.content ?? "(deleted)"),
                    ])
                }
            }
            print(table.render())
            print("resolve one with: tmws sync resolve ID --keep local|remote|merged [--content TEXT]")
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a conflict: keep this device's version, the other one, or a merged text.",
            discussion:
                "Keeping a version that is not the current one writes it as a new version, synced like any edit; keeping the current one writes nothing. 'merged' writes --content (classified like any write) and keeps the current tags."
        )
        @Argument(help: "The memory's id, as 'tmws sync conflicts' shows it.") var id: String
        @Option(help: "local, remote or merged.") var keep: String
        @Option(help: "The merged text (with --keep merged only).") var content: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard SyncConflict.Choice(rawValue: keep) != nil else { throw ValidationError("--keep must be local, remote or merged") }
        }

        func run() async throws {
            let context = try AppContext(options: global)
            let memoryID = try MemoryID(parsing: id)
            let resolution = try await NodeSync(context: context, store: try await context.openStore()).resolveConflict(
                memoryID, keep: SyncConflict.Choice(rawValue: keep)!, content: content, by: context.caller
            )
            if global.json { return try Terminal.printJSON(resolution) }
            switch (resolution.kept, resolution.written) {
            case ("deleted", _): print("the memory was deleted since; the conflict is closed")
            case (_, true): print("kept \(resolution.kept) as version \(resolution.version ?? 0)")
            default: print("kept \(resolution.kept) (already current)")
            }
        }
    }
}

/// `sync now`'s progress on a terminal: a bar over the events pending at the start, then how
/// many came in.
final class SyncProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private var bar: ProgressBar
    private let enabled = Terminal.stderrIsTerminal

    init(pending: Int) {
        bar = ProgressBar(total: pending)
    }

    var update: SyncRunner.Progress {
        { [self] pushed, pulled in
            lock.withLock {
                if pulled == 0 {
                    bar.update(pushed)
                } else if enabled {
                    FileHandle.standardError.write(Data("\r\u{1B}[Kpushed \(pushed), pulled \(pulled)".utf8))
                }
            }
        }
    }

    func finish() {
        lock.withLock {
            bar.finish()
            if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
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
