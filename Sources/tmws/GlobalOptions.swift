import ArgumentParser

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON instead of tables.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("The data directory (overrides TMWS_HOME; default ~/.tmws).", valueName: "path"))
    var home: String?
}
