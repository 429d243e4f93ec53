/// The detector's rules: each dangerous act as anchor terms and the terms that must sit near
/// them. Terms are written as in the word lists (`InstructionDetector+Words.swift`).
extension InstructionDetector {
    /// One dangerous thing a note can ask for: the anchor terms, the terms that must sit within
    /// `reach` bytes of an anchor, and whether the note must prohibit it (`safety`) to count.
    struct Rule: Sendable {
        let kind: InstructionKind
        let groups: [[Term]]
        let reach: Int
        /// A safety step: it counts when the note tells the reader to skip it ("don't ask").
        let safety: Bool
        /// Claims about the reader's identity or rules address the reader without an imperative.
        let standalone: Bool
        /// Terms near the anchor that turn the act around ("priority over memory": the user wins).
        var unless: [Term] = []
        /// The other groups name the act's object, so one that only sets the scene ("ignore it
        /// during tests", "テスト中の警告は無視") does not count.
        var objects = false
    }

    struct Term: Sendable {
        let bytes: [UInt8]
        let prefix: Bool
        let wordStart: Bool
        let wordEnd: Bool

        init(_ text: String) {
            var body = text
            prefix = body.hasSuffix("*") && body.count > 1
            if prefix { body.removeLast() }
            let infix = body.hasPrefix("*") && body.count > 1
            if infix { body.removeFirst() }
            bytes = Array(body.utf8)
            wordStart = !infix && (bytes.first.map(Self.isEdgeByte) ?? false)
            wordEnd = !prefix && (bytes.last.map(Self.isEdgeByte) ?? false)
        }

        /// Bytes that continue a word at a term's edge; digits do not ("③AI は" still starts "ai").
        /// `_` is an edge too, so `DISABLE_SANDBOX=1` holds "disable" and "sandbox".
        static func isEdgeByte(_ b: UInt8) -> Bool { isWordByte(b) && !(b >= 0x30 && b <= 0x39) && b != 0x5F }

        static func isWordByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D || (b >= 0x41 && b <= 0x5A)
        }
    }

    private static func rule(
        _ kind: InstructionKind, _ groups: String..., reach: Int = 90, safety: Bool = false, standalone: Bool = false, unless: String = "",
        objects: Bool = false
    ) -> Rule {
        // Terms are not trimmed: a space at either end is part of the term ("~ " is home itself, " /**" the root).
        let parsed = groups.map { $0.split(separator: ",").map { Term(String($0)) } }
        let turned = unless.isEmpty ? [] : unless.split(separator: ",").map { Term(String($0)) }
        return Rule(kind: kind, groups: parsed, reach: reach, safety: safety, standalone: standalone, unless: turned, objects: objects)
    }

    static let url = "http://,https://"
    static let sensitive = """
        env,`env`,printenv,environment variable*,secret*,credential*,token*,api key*,apikey*,password*,passwd,private key*,\
        ssh key*,.ssh,id_rsa,id_*,.pem,.key,.aws,.kube,.docker/config,.npmrc,.env,keychain*,cookie*,clipboard,pbpaste,prompt*,\
        hostname,email*,.netrc,.gitconfig,directory listing,current directory,repo,repository,repo.bundle,bundle,every file,all files,full text,\
        contents,whole,file you read,files you read,config.json,環境変数,シークレット,認証情報,鍵,キー,トークン,パスワード,\
        プロンプト,クリップボード,ホスト名,メールアドレス,カレントディレクトリ,ディレクトリの一覧,中身,全文,読んだファイル,\
        ファイルは全部,ファイルはすべて,リポジトリ,キーチェーン,keychains,\
        signing key*,.p12,.pfx,keystore,.jks,署名鍵
        """

    /// Everything a note may tell the reader to do that falls under (a)–(d).
    static let rules: [Rule] = [
        // (a) code from outside the toolchain, destructive or privilege-changing commands.
        rule(
            .runsCode, "curl,wget,iwr,invoke-webrequest,invoke-restmethod,irm,downloadstring,urlopen,urllib*,webclient",
            "|sh,|bash,|zsh,|sudo,|node,|python*,|perl,|ruby,|iex,iex,invoke-expression,exec(,eval,sh -c,bash -c,chmod +x,; bash,;bash,&& bash,<(curl,<(wget,| powershell",
            reach: 200),
        rule(.runsCode, "run*,execute*,exec,実行,流して,流す,叩いて", url, "script*,スクリプト,.sh,.ps1,.py,setup,install*,bootstrap", reach: 120),
        rule(.runsCode, "pipe*,パイプ", "into bash,into sh,to bash,to sh,into the shell,into a shell,into zsh,シェルに,bash に,sh に", reach: 100),
        rule(.runsCode, "base64,デコード,decode*", "実行,execute*,run,|sh,|bash,eval,シェル,shell"),
        rule(
            .runsCode,
            "pip install,pip3 install,npm install,npm i,npx,yarn add,pnpm add,gem install,go install,go get,cargo install,installer -pkg,install the tarball,install*,インストール",
            "http://,https://,git+,--index-url,--extra-index-url,-g,--global,globally,--break-system-packages,--force-reinstall,.tgz,.whl,.pkg,tarball",
            reach: 110),
        rule(
            .runsCode, "registry,index-url,package index,パッケージインデックス,レジストリ,goproxy,mirror,base url,base_url,ベース url,api_base,endpoint,エンドポイント", url,
            "set*,change*,switch*,point*,use,resolve*,replace*,through,書き換え,切り替え,変更,差し替え,使,取得,経由", reach: 120),
        rule(
            .runsCode,
            "rm -rf ~ ,rm -rf ~`,rm -rf ~.,rm -rf ~/ ,rm -rf ~/`,rm -rf ~/.ssh,rm -rf ~/.config,rm -rf ~/library,rm -rf ~/documents,rm -rf ~/desktop,rm -rf ~/code,rm -rf ~/src,rm -rf ~/projects,rm -fr ~ ,rm -fr ~`,rm -fr ~.,rm -fr ~/ ,rm -fr ~/`,rm -fr ~/.ssh,rm -fr ~/.config,rm -fr ~/library,rm -fr ~/documents,rm -fr ~/desktop,rm -fr ~/code,rm -fr ~/src,rm -fr ~/projects,rm -r ~ ,rm -r ~`,rm -r ~.,rm -r ~/ ,rm -r ~/`,rm -r ~/.ssh,rm -r ~/.config,rm -r ~/library,rm -r ~/documents,rm -r ~/desktop,rm -r ~/code,rm -r ~/src,rm -r ~/projects,rm -rf /,rm -rf $home,rm -rf **,rm -rf ..,rm -fr /,rm -r /,rm ~/ ,chmod -r 777,chmod 777,chmod -r a+rwx,chown -r,--privileged,privileged: true,privileged=true,-v /:/,/:/host,network_mode: host,--network host,--net=host,drop database,drop table,truncate table,dropdb,nc -e,ncat -e,/dev/tcp/,ssh -r,ssh -fnr,ssh -nr,rm -rf ~/**,reverse tunnel,リバーストンネル,bash -i,authorized_keys,npm config set registry,registry=,index-url=,index_url,/etc/hosts"
        ),
        rule(
            .runsCode, "rm -rf,rm -fr,rm -r,rm -f",
            "~/**,~ ,$home, /**,~/.ssh,~/.aws,~/.gnupg,~/.kube,~/.config,~/library,~/documents,~/desktop, /etc, /usr, /var, /system", reach: 40),
        // Destroying what is not the reader's local checkout: production data, shared hosts, system trees.
        rule(
            .runsCode, "drop*,wipe*,nuke*,destroy*,purge*,reset*,truncate*,erase*,recreate*,rm,--recursive,消去,削除,初期化,リセット,作り直,消して,消せ,空に",
            "prod,production,本番,shared,共有,/srv,/home,/etc,/var,/usr,/opt,everyone's,全員", reach: 80),
        // Privilege changes: passwordless sudo, setuid, joining admin groups.
        rule(.runsCode, "sudoers,nopasswd,!authenticate,visudo,chmod u+s,chmod +s,chmod 4755,usermod -ag sudo,usermod -ag wheel,usermod -ag admin"),
        rule(.runsCode, "sudo", "chown,chmod,installer,spctl,curl,bash,sh -c,rm,su,every command,すべてのコマンド", reach: 60),
        rule(.runsCode, "push --force,push -f,push origin +,force-push*,force push*,--force origin,git push --force", reach: 40),
        rule(.runsCode, "push", "--force,-f", reach: 40),
        rule(
            .runsCode, "crontab,launchctl,.bashrc,.zshrc,.profile,bash_profile,post-checkout,post-merge,.git/hooks,login item",
            "curl,wget,http://,https://,ssh-rsa,ssh key,鍵,reject_unauthorized", reach: 120),
        rule(.runsCode, "password,パスワード", "return true,== \"", reach: 60),
        rule(.runsCode, "download*,ダウンロード,fetch*", url, "replace*,差し替え,入れ替え,/usr/local/bin,/usr/bin,chmod +x,実行", reach: 150),
        rule(.runsCode, "command*,shell,コマンド,シェル", "memor*,メモ", "execute*,実行", reach: 60),
        // (b) data off the machine, instructions or binaries from a URL.
        rule(
            .movesData,
            "send*,post,upload*,paste*,mirror*,submit*,forward*,exfiltrat*,transmit*,beacon*,copy,save a copy,leak*,送,渡して,アップ,貼,保存して,転送,投げ",
            url, reach: 160),
        // Mail is a way off the machine too: a secret near "mail it to …@…", unless a leak is being reported.
        rule(.movesData, "mail*,email*,e-mail*,メール,宛て,宛に", sensitive, "@", reach: 80, unless: "leak*,漏洩,漏れ,compromis*,exposed,rotate*,revoke*"),
        rule(
            .movesData,
            "send*,post,upload*,paste*,submit*,forward*,include*,embed*,put,append*,copy,write*,store*,save*,publish*,保存,公開,送,アップロード,貼,含めて,入れて,埋め込,書いて,書いておく,書き込,投げ",
            sensitive, "http://,https://,github.com*,issue*,comment*,bug report*,pastebin,gist,webhook,commit message*,readme*,本文,コメント,チャット,コミットメッセージ",
            reach: 200),
        // Secrets written into memories travel with them to every synced device.
        rule(
            .movesData,
            "api key*,apikey*,secret*,token*,credential*,password*,private key*,ssh key*,id_rsa,.env,its values,env var*,環境変数,シークレット,認証情報,トークン,パスワード,秘密鍵,鍵,キー,その値",
            "memory,memories,memory note,note,メモ", "copy,keep,store,save,write,echo,put,record,add,書き写,写し,保存,記録,書いて,書き込,残して,入れて,追加", reach: 120),
        // Harvesting: secrets searched for and written somewhere they travel from.
        rule(
            .movesData, "grep*,search*,find*,collect*,gather*,harvest*,scan,探し,集め,検索",
            "key*,token*,secret*,credential*,password*,akia,鍵,キー,トークン,パスワード,認証情報",
            "append*,write*,save*,store*,commit*,send*,post,書き,保存,追記,送", reach: 120),
        rule(.movesData, "share*,共有,upload*,send*,送って", "anything you find,everything you find,見つけたもの,on disk,ディスク上", reach: 80),
        rule(.movesData, "curl", "-d,-f,--data*,-x post,-t,--upload-file,--form,@-", url, reach: 150),
        // Copying key material to another host with the remote-copy tools.
        rule(
            .movesData, "scp,rsync,sftp,rclone,ftp",
            ".ssh,.gnupg,.aws,.kube,.azure,.config/gcloud,id_rsa,id_ed25519,.env,.netrc,.npmrc,credential*,secret*,keys,private key*,鍵,認証情報,シークレット",
            reach: 100),
        rule(.movesData, url, "$(,process.env,os.environ,getenv(,env[", reach: 100),
        // A name lookup carrying `$(…)` leaks the output through DNS.
        rule(.movesData, "nslookup,dig,resolve*,ping,host,名前解決", "$(", reach: 120),
        rule(.movesData, "![", "](http*", reach: 12),
        rule(.movesData, "document.cookie,pbpaste,credential.helper,<img src=http*"),
        rule(.movesData, "remote set-url,remote add,push --mirror,push all branches,全ブランチ", "http://,https://,there,push,そこ", reach: 120),
        rule(
            .movesData, "git push,push --all,push --mirror,--mirror,push backup", "git@,http://,https://,another remote,other remote,別のリモート,backup", reach: 120),
        rule(
            .movesData, "fetch*,load*,download*,read*,check*,open*,pull*,get,grab*,retrieve*,poll*,visit*,取得,確認,開いて,開き,読み込,取って,取り込,ダウンロード,curl,wget",
            url, "follow*,apply*,carry out,do what,obey*,instruction*,rules,tasks,task,指示,従,タスク,ルール,適用,execute*,実行,優先,precedence,priority,authoritative,正とし",
            reach: 200),
        rule(.movesData, "mcp", "add*,追加,http://,https://,server*,サーバ", reach: 60),
        rule(
            .movesData, "package.swift,package.json,go.mod,requirements,podfile,gemfile,cargo.toml,dependenc*,依存,submodule",
            "http://,https://,github.com/", "replace*,change*,point*,switch*,swap*,fork,フォーク,入れ替え,差し替え,書き換え,変更,切り替え,取得,resolve*,through", reach: 120),
        rule(
            .movesData, "print*,echo*,log,dump*,output,出して,出力,表示,commit*,コミット",
            "all secrets,全シークレット,secrets,secret,シークレット,credentials,認証情報,`env`,printenv,env`,.ssh,id_rsa,.netrc,.pem,private key*,秘密鍵,password*,パスワード",
            reach: 120),
        rule(.movesData, ".gitignore", ".env", "remove*,外して,削除,delete*,take out,drop", reach: 60),
        rule(.movesData, "link*,リンク,image*,画像,query,クエリ", "email*,メールアドレス,hostname,ホスト名,prompt*,プロンプト,カレントディレクトリ,current directory,cookie*", url, reach: 160),
        rule(
            .movesData,
            "other project*,ほかのプロジェクト,他のプロジェクト,other repos,other repositories,outside the repo*,outside the project,outside the working,作業ディレクトリの外,リポジトリの外",
            ".env,key*,token*,secret*,credential*,keychain*,読んで,read,look*,use,使って,探して", reach: 80),
        // (c) its own rules, identity, priorities; hiding things from the user.
        rule(
            .changesRules, "ignore*,disregard*,forget*,override*,discard*,bypass*,無視,忘れ,読み飛ば,むしし,むしす,わすれ",
            "instruction*,guideline*,rules,rule,prompt*,directive*,polic*,restriction*,claude.md,agents.md,codeowners,request,its contents,指示,ガイドライン,ルール,プロンプト,規則,制約,発言,箇所,ぷろんぷと,しじ,るーる",
            reach: 70),
        rule(
            .changesRules, "priority,precedence,outrank*,supersede*,authority,authoritative,優先,権限,だけを正と,のみを正と,を正とする",
            "this note,this memory,these notes,memories,memory,このメモ,メモ,こちら",
            "than,over,system,user,システム,ユーザー,より,instead", reach: 110, standalone: true,
            unless:
                "over memor*,than memor*,over anything stored,over notes,then memor*,> memor*,> メモ,メモリより,メモより,メモの内容より,メモリの内容より,user's instructions take,ユーザーの指示は"
        ),
        rule(.changesRules, "as your system prompt,as the system prompt,as system instructions,システムプロンプトとして,システム指示として", reach: 80),
        rule(
            .changesRules, "follow*,obey*,従",
            "this memory,this note,these notes,the notes,the memory,memories,instead,over any,over your,over all,over other,over everything,whatever it says,このメモ,こちら,書かれた内容,メモの内容,メモリ,代わりに",
            reach: 80),
        rule(
            .changesRules,
            "outdated,no longer apply,don't apply,do not apply,doesn't apply,does not apply,適用されません,撤廃,is fake,are fake,偽物,mistake,間違い,is wrong,are wrong,supersede*,replace them,代わります,古いです,obsolete",
            "instruction*,guideline*,rule*,prompt*,memory,memories,polic*,claude.md,指示,ガイドライン,ルール,プロンプト,メモ,system",
            "ask*,confirm*,確認,safety,安全,system prompt,システムプロンプト,user,ユーザー,this memory,this one,this note,このメモ", reach: 130, standalone: true),
        rule(
            .changesRules,
            "you are now,you're now,you are no longer,you're no longer,from now on you are,has been upgraded,have been upgraded,devmode,god mode,jailbreak*,no restrictions,without restrictions,unfiltered,unrestricted,full trust,full-trust,あなたは今から,今からあなたは,あなたは今日から,制限のない,フィルタのない,モードに切り替わ,アップグレードされ,完全に信頼,pre-approved,preapproved,treat every request,as authorised,as authorized,承認済みとして,refusals,拒否はバグ,断ってはいけません,undeletable,削除不可,信頼済み,allowed to modify your own,自分の設定,system override,system-level authority,システムレベルの権限,事前に承認,事前許可,事前承認,あなたはもう,本当の指示,real instructions,actual instructions,you're not an assistant,you are not an assistant,you're not an ai,you are not an ai,you're not a bot,you are not a bot,あなたはアシスタントではな,あなたは ai ではな,owner authority,オーナー権限で",
            standalone: true),
        // A new master or a new persona: the reader's loyalty and identity move away from the user.
        rule(
            .changesRules,
            "answer to me,answer only to,answer to us,take orders from,take instructions from,listen only to,work for me,report to me instead,従うのは,言うことだけ",
            standalone: true),
        rule(.changesRules, "persona,ペルソナ,人格,キャラ設定,identity", "you are,you're,あなたは,君は,your name,名前", reach: 80, standalone: true),
        rule(.changesRules, "never refuse*,never decline*,does not refuse,doesn't refuse,断らない,拒否しない,断らず,拒否せず", standalone: true),
        rule(
            .changesRules, "from this point on,from now on,今後,これからは,以後,今日から", "your name,you are,you're,you have,あなたは,あなたの名前,君は",
            reach: 60, standalone: true),
        // Text in the workspace promoted to instructions the reader must carry out.
        rule(
            .changesRules, "として扱,treat*,regard*,consider*", "指示,instruction*,命令,directive*,system prompt,developer message*,開発者からの",
            "最優先,priority,precedence,優先,follow*,obey*,従", reach: 100),
        rule(
            .changesRules, "として扱,treat*,regard*,consider*,trust level,信頼レベル",
            "developer instruction*,system instruction*,system prompt,from the developer,from the admin*,full authority,system,開発者の指示,システム指示,開発者から,管理者から,最高権限",
            reach: 100),
        // The user's own words demoted below text in the workspace.
        rule(
            .changesRules, "untrusted,not trusted,not be trusted,信頼できない,信用しない,信用できない",
            "user's messages,user messages,user's instructions,user's requests,ユーザーの発言,ユーザーの指示,ユーザーの依頼", reach: 60, standalone: true),
        // Trust moved from the user to the notes.
        rule(.changesRules, "trusted,信頼", "memory note*,memories,memory,メモ", "only,だけ,のみ", reach: 60, standalone: true),
        // Reporting success over a failure.
        rule(
            .changesRules, "と書,と報告,と言,と答,say*,report*,write*,mark*,claim*,tell*", "green,グリーン,passed,pass,passing,as passed,成功,success*,all good,問題なし",
            "赤,red,fail*,落ち,broken,壊れ,even if,even though,でも", reach: 80),
        // Destroying the trail before anyone looks at it.
        rule(
            .changesRules, "logs,ログ,log file*,履歴,history", "削除,消し,消して,delete*,wipe*,clear*,purge*",
            "before answering,before you answer,before replying,答える前,から答え,audit*,監査,if the user asks,ユーザーが", reach: 100),
        rule(.changesRules, "act as,pretend*,roleplay*,role-play*,impersonat*,として振る舞,振る舞って,なりすま,ふりをして,no matter what"),
        rule(
            .changesRules,
            "言われても,と言われたら,頼まれても,求められても,と言っても,even if the user,even if they,regardless of what the user,if they tell you,if the user tells you,if told to,when told to,if someone tells you,if anyone tells you,asks you to stop,ask you to stop,tells you to stop",
            "実行,続け,follow*,continue*,execute*,従,obey*,keep going,carry on,ignore*,無視,but keep,anyway,regardless", reach: 80),
        rule(
            .changesRules,
            "tell,mention*,言及,触れ,inform*,notify*,show*,report*,reveal*,disclose*,bring it up,let the user know,let them know,display,伝え,言わ,知らせ,見せ,報告,説明,表示",
            "user*,human*,anyone,nobody,them,it,this,the change,summar*,repl*,response*,answer*,chat,warning*,error*,failure*,ユーザー,人間,誰,エージェント,こと,メモ,返答,回答,チャット,警告,エラー,失敗",
            reach: 70, safety: true),
        rule(
            .changesRules, "keep*,leave*,strip*,omit*,hide*,exclude*,remove*,外して,外し,隠し,伏せ",
            "summar*,transcript*,diff you show,tool-use,要約,見せる diff,diff から,まとめ", reach: 60),
        rule(
            .changesRules,
            "silently,secretly,quietly,covertly,without telling,behind the user,こっそり,黙って,内緒,密かに,気づかれない,分からないように,so nobody,nobody can see,nobody sees,not for humans,人間は読まなくて,目に触れない,見えないように,見せないように,not find out,never find out,won't find out,バレない,ばれない,知られない,悟られ"
        ),
        rule(.changesRules, "何も言うな,何も言わ,何も伝え,何も報告,say nothing,tell nothing,mention nothing", "user*,ユーザー", reach: 40),
        rule(.changesRules, "含め,載せ,書か,入れ,記載,include*,mention*,list*", "要約,summar*,まとめ,報告,transcript*,report*", reach: 60, safety: true),
        rule(.changesRules, "suspicious,怪しい,unsafe,dangerous,危険", "anyway,regardless,実行はして,run it,execute it,実行して", reach: 80),
        rule(.changesRules, "許可を求め,確認を求め,ask the user for permission,ask for permission,ask for confirmation", "やめて,don't.,do not.,しないで", reach: 60),
        rule(
            .changesRules, "tell,say,answer*,reply,respond*,report*,claim*,答え,伝え,報告,返事,返信,回答",
            "succeeded,success,passed,looks fine,everything is fine,everything looks fine,qqq,read-only facts,regardless,成功した,問題ありません,一言だけ,関係なく,いいえ,answer no,say no,reply no,完了と,通ったことに,通ったと",
            reach: 60),
        rule(.changesRules, "と答え,と言って,と伝え,と報告,と返", "ていない,ていません,していない,ありません,なかった,成功,完了,問題な,大丈夫", reach: 40),
        rule(
            .changesRules, "if anyone asks,if the user asks,if they ask,if asked,when asked,尋ねたら,聞かれたら,訊かれたら,尋ねられたら",
            "never,didn't,did not,nothing,succeeded,passed,deny,doesn't exist,does not exist,no such,存在しない,存在しません,知らない,何もしていない,否定", reach: 80,
            standalone: true),
        rule(.changesRules, "deny that,deny having,deny it"),
        rule(.changesRules, "history -c,bash_history,zsh_history,histfile=/dev/null,histsize=0,unset histfile,set +o history,access log,閲覧ログ,実行履歴,履歴を消"),
        // Text in the workspace run as commands.
        rule(.changesRules, "as commands,as shell commands,as a command,コマンドとして,シェルコマンドとして", "execut*,run,実行", reach: 40),
        rule(
            .changesRules, "copy*,duplicate*,replicate*,spread*,propagat*,複製,コピー,同期させ,広め",
            "this note,this exact note,this memory,this text,these instructions,この文章,このメモ,このノート",
            "global,shared,other workspace*,every device,全員,デバイス,other repos,ワークスペース", reach: 150),
        rule(.changesRules, "this memory,this note,このメモ", "delete*,remove*,削除,消さ", reach: 40, safety: true),
        rule(.changesRules, "ask*,confirm*,confirmation,permission,refus*,確認,聞か,聞い,聞く,尋ね,断", reach: 40, safety: true),
        // (d) verification and safety controls.
        rule(
            .disablesChecks,
            "disable*,turn off,turn-off,switch off,skip*,remove*,delete*,drop,comment out,commented out,comment them out,comment it out,bypass*,circumvent*,deactivate*,suppress*,silence*,dismiss*,exclude*,get rid of,rm -rf,ignore*,stop*,pause*,neuter*,stub out,無視,停止,空に,外して,外し,外す,消して,消し,消す,消さ,削除,無効,切って,切っ,切り,切る,オフ,飛ば,飛ばせ,消せ,外せ,切れ,止めろ,スキップ,回避して,回避し,回避する,省い,省略,止め,コメントアウト,バイパス,turn it off,turn them off,switch it off,uninstall*,unregister*,アンインストール",
            "test*,spec*,hook*,pre-commit,pre-push,lint*,swiftlint*,eslint*,ci,checks,check,scan*,codeql,security*,audit*,sandbox*,approval*,confirmation*,prompts,signature*,verification,verify,tls,ssl,certificate*,firewall,gatekeeper,sip,protection,review*,required-review,codeowners,coverage,threshold,masking,2fa,mfa,two-factor,two_factor*,two factor,二要素,二段階認証,2段階認証,checksum*,host key,gpg,signing,trivy,snyk,semgrep,gitleaks,trufflehog,bandit,detector*,guardrail*,safeguard*,codesign,notariz*,content-security-policy,csp,branch protection,dependabot,検出,ガードレール,テスト,フック,チェック,スキャ,セキュリティ,サンドボックス,承認,署名,検証,証明書,ファイアウォール,保護,レビュー,カバレッジ,閾値,マスキング,ホスト鍵,監査",
            reach: 100, objects: true),
        // Emptying a control's file or loosening a policy leaves the control in name only.
        rule(.disablesChecks, "empty,truncate*,blank out,空に", "codeowners,audit*,dependabot*,pre-commit*,.gitleaks*,監査", reach: 60),
        rule(
            .disablesChecks, "loosen*,relax*,weaken*,緩め,緩和",
            "content-security-policy,csp,cors,branch protection,protection,firewall,permission*,sandbox*,security*,ポリシー,保護,権限", reach: 60),
        rule(.disablesChecks, "even if,even though,anyway,regardless,でも", "赤,red,fail*,落ち,broken,壊れ", "test*,テスト,ci,checks,チェック,lint*,scan*", reach: 60),
        rule(.disablesChecks, "resolve*,dismiss*", "review comment*,comments,コメント", "without,せず,automatic*,自動,all,全部", reach: 80),
        rule(
            .disablesChecks,
            "--no-ver*,--dangerously*,--insecure,verify=false,verify = false,ssl_verify,*reject_unauthorized=0,gonosumdb,goinsecure,gosumdb=off,skip_security*,swiftlint:disable,# nosec,#nosec,type: ignore,xctskip*,xctasserttrue(true),||true,--skip-checks,--skip-tests,--skip-verif*,*ssl_no_verify,*no_verify=1,sslverify false,sslverify=false,strict-ssl false,strict-ssl=false,--no-check-certificate,curl -k,_create_unverified_context,cert_none,check_hostname = false,check_hostname=false,insecureskipverify: true,insecureskipverify=true,rejectunauthorized: false,--trusted-host,pythonhttpsverify=0,--allow-unauthenticated,--nogpgcheck,gpgcheck=0,commit -n,commit -nm,husky=0,gpgsign=false,stricthostkeychecking no,stricthostkeychecking=no,spctl --master-disable,ufw disable,hookspath /dev/null,merge --admin,[\"*\"],\"sandbox\": false,confirm_shell,auto-approve*,autoapprove*,auto approve*,自動承認,.gitleaksignore,--no-sandbox,*signature_check=false,*_check=false,*verify=false,continue-on-error: true,allow_failure: true,if: false,when: never,setglobalstate off,setenforce 0,csrutil disable,script-src *,bash(*),assume yes,--yes --force,push directly to main,push to main directly,commit directly to main,straight to main,directly to main,直接 push,直接push,main に直接,main へ直接,直接マージ,merge directly"
        ),
        rule(.disablesChecks, "approve*,承認,lgtm", "own,yourself,自分で,自己,self", reach: 40),
        // "確認は省略せよ", "確認なしで": the confirmation step itself dropped.
        rule(.disablesChecks, "確認,承認", "省略,省い,スキップ,飛ばし,抜きで,なしで", reach: 30),
        // A fake tool result that declares the confirmation step gone.
        rule(.disablesChecks, "確認プロンプト,確認ダイアログ,confirmation prompt*,confirmation dialog*", "無効,オフ,disabled,off,not required,不要", reach: 40),
        // "Always allow" on every permission dialog approves everything in advance.
        rule(
            .disablesChecks, "承認,許可,permission*,approval*,dialog*,ダイアログ", "qqq,always allow,常に許可,allow all,yes to all",
            "全部,すべて,全て,every,all,always,常に,毎回,いつも,any,each", reach: 80),
        rule(.disablesChecks, "approval*,承認モード,承認を", "never,off,qqq,false,none", reach: 30),
        // Raising the agent's own autonomy or allowing every tool removes the approval step wholesale.
        rule(
            .disablesChecks, "autonomy,autonomous,自律,permission mode,permissionmode,approval mode,approval_mode,承認モード,権限モード",
            "full,max*,yolo,bypass*,never,off,最大,上げ,bump*,raise*,increase*", reach: 60),
        rule(
            .disablesChecks, "allowedtools,allowed_tools,allowed tools,permissions.allow,allowlist,allow list,許可リスト",
            "`*`,all tools,every tool,すべてのツール,全ツール,全部のツール", reach: 60),
        rule(.disablesChecks, "vulnerab*,脆弱性,audit,dependabot,cve*,advisory", "ignore list,ignore*,pin*,固定,無視,suppress*,allowlist,dismiss*", reach: 90),
        rule(.disablesChecks, "admin*,collaborator*,管理者,owner", "add*,追加,grant*,invite*,付与", "@,bot,user,アカウント", reach: 80),
        rule(
            .disablesChecks, "review*,reviewer*,test*,tests,approval*,check*,verif*,scanner,scan,fix*,lint*,ci,pipeline*,レビュ,テスト,てすと,チェック,承認,検証,スキャナ,直さ,直す,修正",
            reach: 40, safety: true),
        rule(.disablesChecks, "threshold,閾値,coverage", "0,外,off,disable*,無効", reach: 40),
        // Config keys that switch a check off (`"verify_signatures": false`) or trust everything.
        rule(
            .disablesChecks,
            "verify*,verification,signature*,check*,sandbox*,tls,ssl,approval*,confirm*,firewall*,selinux,gatekeeper,trust.enabled,workspace trust",
            "false,off,disabled",
            reach: 25),
        rule(.disablesChecks, "trust_all*,trust all*,allow_all*,insecure*,skip_*,disable_*,no_verify*,allowautomatictasks", "true,on,yes,enabled", reach: 25),
    ]
}
