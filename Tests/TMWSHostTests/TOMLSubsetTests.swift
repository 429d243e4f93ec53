import TMWSHost
import Testing

@Suite struct TOMLSubsetTests {
    @Test func tablesKeysAndValuesParse() throws {
        let values = try TOMLSubset.parse(
            """
            # a comment
            top = "level"
            [memory]
            max_content_chars = 50_000   # trailing comment
            default_scope = 'GLOBAL'
            ratio = 0.25
            enabled = true
            tags = ["a", "b", 3]
            [project]
            "quoted key" = "x\\ty\\u00e9"
            a.b = 1
            """)
        #expect(values["top"] == .string("level"))
        #expect(values["memory.max_content_chars"] == .integer(50_000))
        #expect(values["memory.default_scope"] == .string("GLOBAL"))
        #expect(values["memory.ratio"] == .float(0.25))
        #expect(values["memory.enabled"] == .boolean(true))
        #expect(values["memory.tags"] == .array([.string("a"), .string("b"), .integer(3)]))
        #expect(values["project.quoted key"] == .string("x\tyé"))
        #expect(values["project.a.b"] == .integer(1))
    }

    @Test(arguments: [
        ("key = ", "line 1: a value is missing"),
        ("key = unquoted", "line 1: 'unquoted' is not a valid value (strings need quotes)"),
        ("key = \"open", "line 1: unterminated string"),
        ("[memory\nkey = 1", "line 1: expected ']'"),
        ("a = 1\na = 2", "line 2: 'a' is defined twice"),
        ("\n\nkey 1", "line 3: expected '='"),
        ("key = 1 2", "line 1: unexpected text after the value of 'key'"),
        ("[[servers]]", "line 1: arrays of tables ([[…]]) are not supported"),
    ])
    func syntaxErrorsNameTheLine(_ text: String, _ expected: String) {
        let error = #expect(throws: TOMLSubset.SyntaxError.self) { try TOMLSubset.parse(text) }
        #expect(error?.description == expected)
    }
}
