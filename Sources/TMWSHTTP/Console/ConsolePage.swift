// The console's files live in Swift string literals so that they are compiled into the
// binary: nothing to install beside it, no build step, no network. Edit the text as it is.

/// The console's page: landmarks, navigation and an empty `<main>` the script fills. `{{csrf}}` is replaced with the server's CSRF token.
enum ConsolePage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="tmws-csrf" content="{{csrf}}">
        <title>TMWS console</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/console/app.css">
        <script src="/console/strings.js" defer></script>
        <script src="/console/app.js" defer></script>
        <script src="/console/views.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main" id="skip">Skip to content</a>
        <header class="top">
          <h1 class="brand"><span aria-hidden="true">◆</span> TMWS</h1>
          <nav aria-label="Views" id="nav">
            <ul>
              <li><a href="#/memories" data-view="memories" data-i18n="nav.memories">Memories</a></li>
              <li><a href="#/sync" data-view="sync" data-i18n="nav.sync">Sync</a></li>
              <li><a href="#/conflicts" data-view="conflicts"><span data-i18n="nav.conflicts">Conflicts</span> <span class="count" id="count-conflicts"></span></a></li>
              <li><a href="#/review" data-view="review"><span data-i18n="nav.review">Review</span> <span class="count" id="count-review"></span></a></li>
              <li><a href="#/teams" data-view="teams" data-i18n="nav.teams">Teams</a></li>
              <li><a href="#/health" data-view="health" data-i18n="nav.health">Health</a></li>
            </ul>
          </nav>
          <label class="lang"><span data-i18n="language">Language</span>
            <select id="lang">
              <option value="en">English</option>
              <option value="ja">日本語</option>
            </select>
          </label>
        </header>
        <div id="notice" role="status" aria-live="polite" class="notice" hidden></div>
        <main id="main" tabindex="-1">
          <noscript>The TMWS console needs JavaScript.</noscript>
        </main>
        <footer class="foot"><span data-i18n="footer">Local console of this node: nothing here leaves the machine unless sync sends it.</span></footer>
        </body>
        </html>
        """#
}
