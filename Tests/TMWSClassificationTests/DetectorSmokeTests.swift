import TMWSCore
import Testing

@Suite struct DetectorSmokeTests {
    let detector = SensitiveDataDetector()

    func types(_ text: String) -> [String] {
        detector.scan(text).map(\.type)
    }

    @Test(arguments: [
        ("my key is AKIAQ3EGRFOB4NDL3XYZ ok", "aws_access_key_id"),
        ("token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "github_token"),
        ("DB_PASSWORD=hunter2x", "secret_assignment"),
        ("\"api_key\": \"9f8e7d6c5b4a\"", "secret_assignment"),
        ("my wifi password is Pa55word!", "secret_in_prose"),
        ("my wifi password is sunshine", "secret_in_prose"),
        ("パスワードは hunter2 です", "secret_in_prose"),
        ("暗証番号は1234です", "secret_in_prose"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "private_key"),
        ("postgres://app:s3cr3tPW@db.example.com/app", "url_with_password"),
        ("Authorization: Bearer abcdef1234567890abcdef", "authorization_header"),
        ("card 4111 1111 1111 1111 exp 12/30", "credit_card"),
        ("IBAN GB82 WEST 1234 5698 7654 32", "iban"),
        ("ssn 536-22-1234", "us_ssn"),
        ("call me at 090-1234-5678", "phone_number"),
        ("mail alice.smith@gmail.com", "personal_email"),
        ("mysql -u root -pS3cret db", "command_line_password"),
        ("QUtJQVEzRUdSRk9CNE5ETDNYWVo=", "aws_access_key_id"),
        ("see AKIA%51%33EGRFOB4NDL3XYZ", "aws_access_key_id"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt"),
    ])
    func finds(_ text: String, _ type: String) {
        #expect(types(text).contains(type), "\(text) → \(types(text))")
    }

    @Test(arguments: [
        "The password is stored in the vault.",
        "パスワードは定期的に変更すること",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it",
        "id 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f",
        "export API_KEY=${API_KEY}",
        "password: <your-password-here>",
        "token: {{ secrets.GITHUB_TOKEN }}",
        "password = os.getenv(\"DB_PASSWORD\")",
        "if password == nil { throw AuthError.missing }",
        "password_min_length = 12",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkKjt7mXb7vRkUaFkvQ4C0fkDLtJGxHP7w6k0bSa5iL alice@laptop",
        "-----BEGIN PUBLIC KEY-----",
        "AKIAIOSFODNN7EXAMPLE is the documented example",
        "Deploys go through the staging cluster first. We agreed on this in the weekly sync.",
        "version 2.4.19 released 2025-12-13",
    ])
    func ignores(_ text: String) {
        #expect(types(text).isEmpty, "\(text) → \(types(text))")
    }
}
