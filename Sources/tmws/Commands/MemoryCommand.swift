import ArgumentParser

/// `tmws memory …`: the memory commands.
struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Store, find and manage memories.",
        subcommands: [
            MemoryAdd.self, MemoryGet.self, MemoryList.self, MemorySearch.self, MemoryUpdate.self,
            MemoryDelete.self, MemoryPrune.self, MemoryStats.self, MemoryImport.self, MemoryExport.self,
            MemoryPin.self, MemoryUnpin.self, MemoryHistory.self, MemoryUnsupersede.self, MemoryDedup.self,
        ]
    )
}
