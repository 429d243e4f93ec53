/// A corpus for search quality: developer notes in Japanese (some mixed with English terms)
/// and, for each, a natural question a person would ask to find it again, in different words.
enum JapaneseQuestionCorpus {
    struct Case: Sendable {
        /// The memory's text.
        let note: String
        /// A question whose answer is the note (not a substring of it).
        let question: String
    }

    static let cases: [Case] = [
        // デプロイ
        Case(
            note: "デプロイは毎週火曜と木曜の午後2時から行う。金曜日のデプロイは原則として禁止。",
            question: "金曜日にデプロイしてもいいですか？"),
        Case(
            note: "本番デプロイの前に、ステージング環境でスモークテストを必ず実行すること。",
            question: "本番に出す前にステージングで何を確認する？"),
        Case(
            note: "デプロイが失敗した場合は直前のリリースタグへロールバックする。ロールバックの判断はオンコール担当者が行う。",
            question: "ロールバックするかどうかは誰が判断しますか？"),
        Case(
            note: "デプロイ中は「デプロイ連絡」チャンネルに開始と完了を必ず投稿する。",
            question: "デプロイの開始はどのチャンネルで知らせる？"),
        Case(
            note: "Blue/Greenデプロイでは、切り替え後30分間は旧環境を残しておく。",
            question: "Blue/Greenの切り替えのあと、旧環境はどれくらい残す？"),
        // バックアップ
        Case(
            note: "バックアップは毎日午前3時にS3へ取得している。保持期間は30日。",
            question: "バックアップの保持期間は何日ですか？"),
        Case(
            note: "バックアップからのリストア訓練を四半期に一度実施し、所要時間を記録する。",
            question: "リストアの訓練はどのくらいの頻度でやる？"),
        Case(
            note: "データベースのスナップショットは別リージョンにもコピーしておく。東京リージョンの障害に備えるため。",
            question: "スナップショットを別のリージョンに複製する理由は？"),
        // CI
        Case(
            note: "GitHub Actionsのワークフローは、mainへのpush時とプルリクエスト作成時に走る。",
            question: "GitHub Actionsが動くタイミングはいつ？"),
        Case(
            note: "自動テストが30分を超えたらタイムアウトで失敗扱いになる。遅いテストは分割すること。",
            question: "自動テストがタイムアウトするのは何分からですか？"),
        Case(
            note: "不安定なテストを見つけたら、隔離ラベルを付けてスキップし、一週間以内に修正する。",
            question: "不安定なテストはどう扱えばいい？"),
        Case(
            note: "ビルドのキャッシュが壊れたときは、ワークフローのキャッシュキーのバージョン番号を一つ上げる。",
            question: "ビルドのキャッシュが壊れたら、どうやって直す？"),
        // コードレビュー
        Case(
            note: "プルリクエストは最低二人の承認がないとマージできない。",
            question: "プルリクエストのマージに必要な承認は最低で何人？"),
        Case(
            note: "レビューコメントには24時間以内に返信するのがチームのルール。",
            question: "レビューコメントには何時間以内に返信すべき？"),
        Case(
            note: "プルリクエストの差分は400行以内を目安にする。大きくなる場合は分割して出す。",
            question: "プルリクエストの差分は何行までが目安ですか？"),
        Case(
            note: "レビューで「細かい点」と前置きしたコメントは任意の指摘なので、対応しなくてもマージしてよい。",
            question: "「細かい点」と書かれた指摘には対応が必要ですか？"),
        Case(
            note: "自分のプルリクエストを自分で承認してマージすることは禁止されている。",
            question: "自分で出したPRを自分で承認してもいい？"),
        // データベースマイグレーション
        Case(
            note: "データベースのマイグレーションは必ず後方互換にする。カラム削除はアプリの参照を消した次のリリースで行う。",
            question: "カラムを削除するマイグレーションはいつ実行する？"),
        Case(
            note: "PostgreSQLで大きなテーブルにインデックスを作るときはCREATE INDEX CONCURRENTLYを使う。",
            question: "PostgreSQLでロックせずにインデックスを張る方法は？"),
        Case(
            note: "マイグレーションファイルはタイムスタンプ付きの名前にし、一度マージしたものは編集しない。",
            question: "マージ済みのマイグレーションを書き換えてもいいですか？"),
        Case(
            note: "本番データベースへの手動クエリは二人体制で実行し、実行内容をチケットに残す。",
            question: "本番のデータベースに直接クエリを打つときのルールは？"),
        // インシデント対応
        Case(
            note: "障害発生時はまずインシデントチャンネルを作成し、指揮役を一人決める。",
            question: "障害発生時にまず作るチャンネルと指揮役について教えて"),
        Case(
            note: "インシデント収束後、5営業日以内にポストモーテムを書き、個人を非難しない形式でまとめる。",
            question: "インシデントのポストモーテムは何日以内に書く？"),
        Case(
            note: "重大度が最も高い障害では、15分ごとにステータスページを更新する。",
            question: "重大度が最高の障害ではステータスページをどれくらいの間隔で更新する？"),
        Case(
            note: "顧客影響のある障害は、カスタマーサポートへ30分以内に一次連絡を入れる。",
            question: "顧客に影響が出たらサポートへいつ連絡する？"),
        // 監視・アラート
        Case(
            note: "APIのp95レイテンシが500msを5分間超えるとPagerDutyでアラートが鳴る。",
            question: "p95レイテンシのアラート閾値はいくつ？"),
        Case(
            note: "ディスク使用率が80%を超えたら警告、90%で緊急アラートを出すように設定している。",
            question: "ディスク使用率の警告は何パーセントから？"),
        Case(
            note: "アラートには必ず対応手順書へのリンクを付ける。リンクのないアラートは追加しない。",
            question: "アラートを追加するときに何を添える必要がある？"),
        Case(
            note: "夜間にうるさいだけのアラートは、週次の振り返りで閾値を見直すか削除する。",
            question: "無駄なアラートの閾値はいつ見直すのですか？"),
        Case(
            note: "Grafanaのダッシュボードはサービスごとに一枚作り、リポジトリ内のJSONで管理する。",
            question: "Grafanaダッシュボードの定義はどこで管理している？"),
        Case(
            note: "外形監視は東京とシンガポールの二拠点から1分間隔で実行している。",
            question: "外形監視の拠点と実行間隔を教えて"),
        // レート制限
        Case(
            note: "公開APIのレート制限はAPIキーごとに毎分600リクエスト。超過すると429を返す。",
            question: "APIキー1つあたり何リクエストまで許される？"),
        Case(
            note: "監査ログでレート制限が発動したら、まずAPIキーごとの呼び出し回数を確認する。",
            question: "監査ログでレート制限が起きたときの対処方法"),
        Case(
            note: "社内バッチからの呼び出しはレート制限の対象外にしているが、送信元アドレスの許可リストで管理している。",
            question: "社内のバッチ処理にもレート制限はかかる？"),
        Case(
            note: "ログイン試行は同一アカウントで5回失敗すると15分間ロックされる。",
            question: "ログインに何回失敗するとアカウントがロックされる？"),
        // 監査ログ
        Case(
            note: "監査ログは改ざん防止のため追記専用のストレージに保存し、7年間保持する。",
            question: "監査ログを保持する年数とストレージは？"),
        Case(
            note: "管理画面での権限変更はすべて監査ログに記録され、誰がいつ変えたか追える。",
            question: "管理画面の権限変更の履歴はどこで確認できる？"),
        Case(
            note: "監査ログに個人情報を書き込まないこと。ユーザーは内部番号だけで記録する。",
            question: "監査ログにユーザーの個人情報を残してもいい？"),
        // キャッシュ
        Case(
            note: "Redisのキャッシュは商品情報が10分、ユーザー設定が1時間のTTLで設定している。",
            question: "商品情報のキャッシュTTLは何分？"),
        Case(
            note: "キャッシュを手動で消すときは、管理コマンドでキーの接頭辞を指定して削除する。全消しは禁止。",
            question: "管理コマンドでキャッシュを全部消してもいい？"),
        Case(
            note: "CDNのキャッシュはデプロイ後に自動でパージされるが、画像だけは手動でパージが必要。",
            question: "画像のCDNキャッシュはどうやってパージする？"),
        Case(
            note: "キャッシュスタンピード対策として、期限切れ直前に一つのワーカーだけが再計算するようにしている。",
            question: "キャッシュの期限切れで負荷が集中しないようにする仕組みは？"),
        // フィーチャーフラグ
        Case(
            note: "新機能はフィーチャーフラグの裏で出し、まず社内ユーザーだけに有効化する。",
            question: "新機能をフィーチャーフラグで最初に有効にする相手は？"),
        Case(
            note: "使い終わったフィーチャーフラグは、全展開から2週間以内にコードから削除する。",
            question: "全展開したあとのフィーチャーフラグの削除期限は？"),
        Case(
            note: "LaunchDarklyのフラグ名は「チーム名_機能名」の形式で付ける。",
            question: "LaunchDarklyでフラグに名前を付けるルールは？"),
        Case(
            note: "段階的リリースは1%、10%、50%、100%の順に広げ、各段階で最低1時間はエラー率を見る。",
            question: "段階リリースでは各ステップでどれくらい様子を見る？"),
        // オンコール
        Case(
            note: "オンコールは一週間交代で、月曜の午前10時に引き継ぎを行う。",
            question: "オンコールの交代は何曜日ですか？"),
        Case(
            note: "オンコール担当は呼び出しから15分以内に応答し、対応できない場合は二次担当へエスカレーションする。",
            question: "オンコールで呼ばれたら何分以内に応答すべき？"),
        Case(
            note: "夜間や休日にオンコールで対応した時間は、翌月の代休として申請できる。",
            question: "休日のオンコール対応は代休になりますか？"),
        // リリース
        Case(
            note: "リリースはセマンティックバージョニングに従い、破壊的変更はメジャーバージョンを上げる。",
            question: "破壊的な変更を入れたらバージョンはどう上げる？"),
        Case(
            note: "リリースノートはリリースブランチを切った時点でドラフトを作り、プロダクトマネージャーがレビューする。",
            question: "リリースノートのドラフトは誰がレビューする？"),
        Case(
            note: "モバイルアプリはApp Storeの審査期間を見込んで、リリース予定日の一週間前に申請する。",
            question: "App Storeへの申請はリリースの何日前？"),
        Case(
            note: "コードフリーズはリリースの2日前の18時。以降はバグ修正のみマージ可能。",
            question: "コードフリーズの後はどんな修正ならマージできる？"),
        Case(
            note: "ホットフィックスはメインブランチから直接ブランチを切り、修正後にリリースブランチにもチェリーピックする。",
            question: "ホットフィックスのブランチ運用の手順は？"),
        // テスト規約
        Case(
            note: "単体テストのファイル名は対象ファイル名の末尾にTestsを付ける。",
            question: "単体テストのファイルの命名規則は？"),
        Case(
            note: "テストでは実際の時刻を使わず、時計オブジェクトを注入して固定した時刻で検証する。",
            question: "テストで現在時刻を固定するにはどうする？"),
        Case(
            note: "結合テストは夜間に一回だけ走らせ、結果は品質保証チャンネルに通知される。",
            question: "結合テストの結果はどこに通知される？"),
        Case(
            note: "カバレッジが80%を下回るとビルドが失敗する。ただし生成コードは計測対象から除外している。",
            question: "生成されたコードもカバレッジの計測に含まれるのですか？"),
        Case(
            note: "テスト用のデータベースはテストケースごとにトランザクションを張り、終了時にロールバックしている。",
            question: "テストの後にデータベースをきれいに戻す仕組みは？"),
        Case(
            note: "モックは外部サービスとの境界だけに使い、社内のモジュール同士ではなるべく本物を使う。",
            question: "社内モジュールのテストでもモックを使うべき？"),
        // セキュリティ
        Case(
            note: "パスワードやAPIキーはリポジトリに置かず、すべてVaultから実行時に読み込む。",
            question: "パスワードやAPIキーの保管場所は？"),
        Case(
            note: "依存ライブラリの脆弱性アラートは毎週月曜に確認し、深刻度が最も高いものは3日以内に対応する。",
            question: "深刻度の高い脆弱性は何日以内に直す？"),
        Case(
            note: "本番サーバーへのSSHは踏み台経由のみ許可し、鍵は個人ごとに発行する。",
            question: "本番サーバーにSSHで入る方法は？"),
        Case(
            note: "退職者のアカウントは最終出社日の当日中に全サービスで無効化する。",
            question: "退職した人のアカウント無効化のタイミングはいつ？"),
        Case(
            note: "外部との通信はすべてTLS 1.2以上を必須とし、古い暗号スイートは無効にしている。",
            question: "TLSはどのバージョン以上が必要ですか？"),
        Case(
            note: "ユーザー入力をSQLに埋め込むときは必ずプレースホルダーを使い、文字列連結は禁止。",
            question: "SQLにユーザーの入力を文字列連結してもいい？"),
        Case(
            note: "秘密情報を誤ってコミットしたら、履歴から消すだけでなく、必ずそのキーをローテーションする。",
            question: "秘密情報をコミットしてしまったら何をする？"),
        Case(
            note: "二要素認証は全メンバー必須で、ソースコード管理とメールの両方のサービスで強制している。",
            question: "二要素認証が必須なのはどのサービス？"),
        // パフォーマンス
        Case(
            note: "N+1クエリを防ぐため、一覧画面では関連データを事前にまとめて読み込む。",
            question: "一覧画面のN+1クエリはどう防ぐ？"),
        Case(
            note: "遅いクエリは統計ビューで上位10件を週次で確認し、チケット化する。",
            question: "遅いクエリを確認する頻度は？"),
        Case(
            note: "画像は圧縮率の高い形式に変換してから配信し、一覧ではサムネイルだけを読み込む。",
            question: "一覧の画像はどんな形式で配信している？"),
        Case(
            note: "JVMのヒープサイズはコンテナのメモリ上限の75%に設定する。",
            question: "JVMのヒープはメモリの何割にする？"),
        Case(
            note: "コネクションプールの上限は、サーバー台数を掛けてもデータベースの最大接続数を超えないように決める。",
            question: "データベースのコネクションプール上限の決め方は？"),
        // ログ
        Case(
            note: "ログは構造化JSONで出力し、必ずrequest_idを含める。",
            question: "構造化ログにrequest_idは必要ですか？"),
        Case(
            note: "本番のログレベルはINFO以上。DEBUGログを一時的に有効化しても24時間以内に戻す。",
            question: "本番でDEBUGログを出してもいい？"),
        Case(
            note: "アプリケーションログは30日間Lokiに保存され、それより古いものはS3にアーカイブされる。",
            question: "古いアプリケーションログはどこにアーカイブされる？"),
        Case(
            note: "ログにメールアドレスや電話番号を出力するときはマスキングする。",
            question: "メールアドレスをログに出すときの注意点は？"),
        // Docker / Kubernetes
        Case(
            note: "Dockerイメージはマルチステージビルドで作り、実行イメージにはビルドツールを含めない。",
            question: "Dockerイメージを小さくするビルド方法は？"),
        Case(
            note: "ベースイメージは毎月第一月曜に更新し、タグはlatestではなくダイジェストで固定する。",
            question: "ベースイメージのタグにlatestを使っていい？"),
        Case(
            note: "KubernetesのPodには必ずCPUとメモリのrequestsとlimitsを設定する。",
            question: "KubernetesでPodに設定すべきリソース指定は何？"),
        Case(
            note: "readinessProbeとlivenessProbeは別のエンドポイントにする。livenessProbeでDBを見ないこと。",
            question: "livenessProbeのエンドポイントでDBをチェックしてもいい？"),
        Case(
            note: "本番クラスタへの手動kubectl applyは禁止。変更はすべてArgo CD経由でGitから反映する。",
            question: "本番クラスタに手でkubectlを打ってもいいですか？"),
        Case(
            note: "HPAはCPU使用率70%を目標にし、最小レプリカ数は3に設定している。",
            question: "HPAの最小レプリカ数はいくつ？"),
        // APIバージョニング
        Case(
            note: "公開APIはURLに/v1のようなバージョンを含め、旧バージョンは廃止告知から6か月維持する。",
            question: "廃止予定のAPIバージョンはどのくらい維持される？"),
        Case(
            note: "レスポンスにフィールドを追加するのは互換性のある変更だが、削除や型変更は新バージョンでのみ行う。",
            question: "レスポンスからフィールドを消すにはどうする？"),
        Case(
            note: "非推奨のエンドポイントは、レスポンスヘッダーで廃止予定日を通知する。",
            question: "非推奨エンドポイントの廃止予定はどうやってクライアントに伝える？"),
        // 依存関係
        Case(
            note: "依存パッケージの更新はRenovateが毎週PRを作る。マイナー更新はCIが通れば自動マージ。",
            question: "Renovateのマイナーアップデートは自動でマージされる？"),
        Case(
            note: "メジャーバージョンアップを伴うライブラリ更新は、一つずつ別のプルリクエストに分ける。",
            question: "ライブラリのメジャー更新はまとめて出していい？"),
        Case(
            note: "lockファイルは必ずコミットする。CIではlockファイルと一致しない場合にビルドを失敗させる。",
            question: "lockファイルはリポジトリに含めるべきですか？"),
        Case(
            note: "Node.jsのバージョンはLTSに揃え、.nvmrcで固定している。",
            question: "Node.jsはどのバージョンを使う？"),
        // 国際化
        Case(
            note: "画面の文言はすべて翻訳キー経由で出し、コードに日本語を直接書かない。",
            question: "画面の文言をコードに直書きしてもいい？"),
        Case(
            note: "日付の表示はユーザーのタイムゾーンに変換し、保存はUTCで統一する。",
            question: "日付はどのタイムゾーンで保存する？"),
        Case(
            note: "翻訳ファイルの更新は月に一度まとめて翻訳会社に依頼する。",
            question: "翻訳の依頼はどれくらいの頻度ですか？"),
        Case(
            note: "英語の文言は日本語より長くなりがちなので、ボタンの幅は固定せず可変にする。",
            question: "英語の文言でボタンがはみ出さないようにするには？"),
        // アクセシビリティ
        Case(
            note: "画像には必ずalt属性を付け、装飾目的の画像は空のaltにする。",
            question: "飾りの画像のalt属性はどうする？"),
        Case(
            note: "文字と背景のコントラスト比は4.5:1以上を満たすこと。デザインレビューで確認する。",
            question: "デザインレビューで確認するコントラスト比の基準値は？"),
        Case(
            note: "すべての操作はキーボードだけで完結できるようにし、フォーカスの位置を見えるようにする。",
            question: "キーボード操作でフォーカスが見えないのは問題ですか？"),
        Case(
            note: "スクリーンリーダーの確認は、リリース前にVoiceOverとNVDAの両方で行う。",
            question: "リリース前にどのスクリーンリーダーで確認する？"),
        // オンボーディング
        Case(
            note: "新メンバーには初日にメンターが付き、最初の一週間で小さなバグ修正を一つマージするのが目標。",
            question: "新メンバーの最初の一週間の目標は何？"),
        Case(
            note: "開発環境のセットアップは専用スクリプトを実行すれば完了する。手順書は社内ウィキにある。",
            question: "開発環境のセットアップ手順はどこにある？"),
        Case(
            note: "入社時の各種アカウント発行は情シスに申請し、発行まで通常2営業日かかる。",
            question: "新しいアカウントの発行にはどれくらいかかる？"),
        // 会議
        Case(
            note: "デイリースタンドアップは毎朝10時開始で15分以内に終える。議論が長引く話題は別の会議に回す。",
            question: "スタンドアップで議論が長引いたらどうする？"),
        Case(
            note: "会議には必ずアジェンダを事前に共有し、アジェンダのない会議は断ってもよい。",
            question: "アジェンダなしの会議に出る必要はありますか？"),
        Case(
            note: "議事録は会議の当日中に共有フォルダに残し、決定事項と担当者を明記する。",
            question: "議事録を共有フォルダに残す期限は？"),
        Case(
            note: "水曜日の午後は会議を入れない集中タイムとしている。",
            question: "会議を入れない集中タイムは何曜日の午後？"),
        // Git運用
        Case(
            note: "ブランチ名はfeature/、fix/、chore/のいずれかの接頭辞で始める。",
            question: "ブランチの命名で使える接頭辞は？"),
        Case(
            note: "コミットメッセージはConventional Commitsの形式で書き、本文には変更理由を残す。",
            question: "コミットメッセージの本文には何を書く？"),
        Case(
            note: "メインブランチへのマージはスカッシュマージに統一し、マージコミットは作らない。",
            question: "メインブランチにマージするときの方式はどれ？"),
        // 運用
        Case(
            note: "データベースのパスワードは90日ごとに自動でローテーションされる。",
            question: "DBパスワードのローテーション周期は？"),
        Case(
            note: "定期バッチは重複起動を防ぐため、実行前に分散ロックを取得する。",
            question: "定期バッチが二重に走らないようにする方法は？"),
        Case(
            note: "メッセージキューでの処理に3回失敗したメッセージはデッドレターキューへ移す。",
            question: "処理に失敗し続けたメッセージはどこへ行く？"),
        Case(
            note: "サーバーのタイムゾーンはすべてUTCに設定し、cronの時刻もUTCで書く。",
            question: "cronの時刻はどのタイムゾーンで書く？"),
        Case(
            note: "月間可用性の目標は99.9%。エラーバジェットを使い切ったら新機能のリリースを止める。",
            question: "エラーバジェットを使い切ったときのリリース方針は？"),
        Case(
            note: "エラーレスポンスは全サービス共通の形式で返し、エラーコードを必ず含める。",
            question: "エラーレスポンスの形式とエラーコードのルールは？"),
        Case(
            note: "決済の依頼には冪等キーを必須にして、二重請求を防いでいる。",
            question: "決済の二重請求をどうやって防いでいる？"),
        Case(
            note: "Webhookの送信は失敗時に指数バックオフで最大24時間リトライする。",
            question: "Webhookのリトライはどれくらい続く？"),
        Case(
            note: "使われていないストレージのボリュームは毎月棚卸しして削除する。",
            question: "使われていないボリュームを棚卸しする頻度は？"),
        Case(
            note: "クラウド費用は月次でチームごとに集計し、予算の120%を超えたらマネージャーに通知される。",
            question: "クラウドの費用が予算を超えたら誰に連絡が行く？"),
        Case(
            note: "設計判断はADRとしてdocs/adrに残し、番号は連番で振る。",
            question: "設計判断を記録するADRの置き場所は？"),
        Case(
            note: "一週間以上かかる開発は、着手前に設計ドキュメントを書いてレビューを受ける。",
            question: "どんな規模の開発なら設計ドキュメントが必要？"),
        Case(
            note: "コードフォーマットはpre-commitフックで自動適用し、CIでもlintを実行する。",
            question: "フォーマットはコミット前に自動でかかるのですか？"),
        Case(
            note: "CODEOWNERSに登録されたチームのレビューがないと、そのディレクトリの変更はマージできない。",
            question: "CODEOWNERSのレビューなしでマージできる？"),
        Case(
            note: "環境変数の追加はサンプル設定ファイルにも必ず反映し、説明コメントを書く。",
            question: "環境変数を追加したときに反映するファイルは？"),
        Case(
            note: "Sentryの新規エラーは毎朝オンコール担当がトリアージし、担当者を割り当てる。",
            question: "Sentryのエラーは誰がトリアージする？"),
        Case(
            note: "退会したユーザーのデータは30日後に完全削除するバッチが走る。",
            question: "退会ユーザーのデータはいつ消える？"),
        Case(
            note: "ユーザーから個人データの開示請求があった場合、法務に連絡してから7日以内に対応する。",
            question: "個人データの開示請求を受けたら最初に誰に連絡する？"),
        Case(
            note: "大型キャンペーンの前にはk6で負荷試験を行い、想定ピークの3倍まで耐えられるか確認する。",
            question: "キャンペーン前の負荷試験で使うツールは？"),
        Case(
            note: "休暇を取るときはチームカレンダーに登録し、オンコールと重なる場合は代わりの担当者を自分で探す。",
            question: "休暇がオンコールと重なったら担当者はどう探す？"),
        Case(
            note: "難しい障害調査はペアで行い、一人で2時間以上詰まったら助けを求める。",
            question: "障害調査に一人で何時間詰まったら助けを呼ぶ？"),
        Case(
            note: "クラッシュ率が0.5%を超えたアプリのバージョンは、ストアでの段階配信を停止する。",
            question: "クラッシュ率が高いときは段階配信をどうする？"),
        Case(
            note: "DNSレコードの変更はTerraformで管理し、TTLは変更前日に60秒へ下げておく。",
            question: "DNSを切り替える前にTTLをどうしておく？"),
        Case(
            note: "terraform applyはCIからのみ実行し、ローカルではplanまでにとどめる。",
            question: "ローカル環境でterraform applyしてもいい？"),
        Case(
            note: "TLS証明書はcert-managerで自動更新しているが、期限30日前に更新されていなければアラートが鳴る。",
            question: "TLS証明書の期限切れはどうやって検知する？"),
        Case(
            note: "顧客とのやり取りはメールではなく共有チャンネルで行い、個別のダイレクトメッセージは使わない。",
            question: "顧客とのやり取りに個別のダイレクトメッセージを使ってもいい？"),
        Case(
            note: "サポート対象ブラウザはChrome、Safari、Edgeの最新2バージョン。IEはサポートしない。",
            question: "どのブラウザをサポートしていますか？"),
        Case(
            note: "決済のテストは必ずStripeのテストモードで行い、本番キーを開発環境に置かない。",
            question: "Stripeの決済テストはどのモードでやる？"),
        Case(
            note: "通知メールは一時間に同じユーザーへ3通までに制限している。",
            question: "同じユーザーに送る通知メールの上限は？"),
        Case(
            note: "Elasticsearchのインデックス再構築は、新しいインデックスを作ってからエイリアスを切り替える方式で行う。",
            question: "Elasticsearchのインデックスをダウンタイムなしで作り直す手順は？"),

        // English control group
        Case(
            note: "The staging database is refreshed from an anonymized production snapshot every Sunday night.",
            question: "How often does staging get fresh data from production?"),
        Case(
            note: "All services must expose Prometheus metrics on port 9090 under the /metrics path.",
            question: "Which port do we scrape Prometheus metrics from?"),
        Case(
            note: "Pull requests touching the payments module require approval from the payments team lead.",
            question: "Who has to sign off on changes to the payments module?"),
        Case(
            note: "We pin Python dependencies with exact versions in requirements.lock and regenerate it monthly.",
            question: "How are Python package versions locked?"),
        Case(
            note: "Session tokens expire after 12 hours of inactivity; refresh tokens are valid for 30 days.",
            question: "How long does a refresh token stay valid?"),
        Case(
            note: "Large file uploads go directly to S3 with presigned URLs instead of passing through the API servers.",
            question: "How do we upload big files to S3 without going through the API?"),
        Case(
            note: "The on-call engineer must acknowledge a PagerDuty page within 5 minutes or it escalates to the secondary.",
            question: "What happens if a PagerDuty page is not acknowledged in time?"),
        Case(
            note: "Feature branches older than 30 days without activity are deleted automatically by a weekly job.",
            question: "When do stale feature branches get cleaned up?"),
        Case(
            note: "gRPC services set a deadline on every call, with a default of 2 seconds for internal requests.",
            question: "What default deadline should internal gRPC calls use?"),
        Case(
            note: "Database read replicas can lag by a few seconds, so never read from a replica right after a write.",
            question: "Is it safe to query a read replica immediately after writing?"),
        Case(
            note: "Kafka topics keep messages for seven days, and consumer groups must commit offsets after processing.",
            question: "How long are messages retained in Kafka?"),
        Case(
            note: "Frontend bundles larger than 250 KB gzipped fail the CI size check.",
            question: "What is the bundle size limit enforced in CI?"),
        Case(
            note: "Customer-facing error messages must never include stack traces or internal hostnames.",
            question: "Can we show stack traces to customers in error messages?"),
        Case(
            note: "Every new microservice gets a dedicated service account with least-privilege IAM roles.",
            question: "What IAM permissions should a new service account have?"),
        Case(
            note: "Billing cron jobs run in UTC, and invoices are generated on the first day of each month at 01:00.",
            question: "When are the monthly invoices generated?"),
    ]
}
