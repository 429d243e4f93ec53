// The console's files live in Swift string literals so that they are compiled into the
// binary: nothing to install beside it, no build step, no network. Edit the text as it is.

/// The console's style sheet: one column under 820 px, Japanese fonts in the stack.
enum ConsoleStyle {
    static let source = #"""
        :root {
          --bg: #f7f7f5; --panel: #ffffff; --ink: #1d1d1f; --muted: #5a5a60; --line: #d8d8dc;
          --accent: #0b57d0; --accent-ink: #ffffff; --ok: #1a7f37; --warn: #9a6700; --bad: #b42318;
          --private: #6e40c9; --project: #0b57d0; --shared: #9a6700; --global: #1a7f37;
          --ins: #dafbe1; --del: #ffebe9;
          font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP",
            "Noto Sans JP", "IPAGothic", "IPAPGothic", "Yu Gothic", Meiryo, sans-serif;
          font-size: 15px; line-height: 1.55; color: var(--ink); background: var(--bg);
        }
        * { box-sizing: border-box; }
        body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--panel); padding: .5rem 1rem; z-index: 10; }
        .skip:focus { left: .5rem; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.25rem;
          background: var(--panel); border-bottom: 1px solid var(--line); }
        .brand { font-size: 1.15rem; margin: 0; letter-spacing: .02em; }
        .top nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
        .top nav a { display: inline-block; padding: .35rem .75rem; border-radius: 6px; text-decoration: none; color: var(--ink); }
        .top nav a[aria-current="page"] { background: var(--accent); color: var(--accent-ink); }
        .top nav a:hover { background: #e8eefc; }
        .top nav a[aria-current="page"]:hover { background: var(--accent); }
        .count:not(:empty) { display: inline-block; min-width: 1.4em; padding: 0 .35em; border-radius: 1em; background: var(--bad);
          color: #fff; font-size: .8em; text-align: center; }
        .lang { margin-left: auto; display: flex; gap: .4rem; align-items: center; color: var(--muted); }
        main { flex: 1; padding: 1rem 1.25rem 2rem; max-width: 1280px; width: 100%; margin: 0 auto; }
        main:focus { outline: none; }
        .foot { padding: .75rem 1.25rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
        h2 { font-size: 1.3rem; margin: .25rem 0 .75rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
        .notice { margin: .75rem 1.25rem 0; padding: .6rem .9rem; border-radius: 6px; background: #e8eefc; border: 1px solid #b6c8f4; }
        .notice.error { background: var(--del); border-color: #f5b5ae; color: #7a1a12; }
        .alert { padding: .6rem .9rem; border-radius: 6px; background: var(--del); border: 1px solid #f5b5ae; color: #7a1a12; margin: .5rem 0; }
        .muted { color: var(--muted); }
        label { font-weight: 500; }
        input[type=text], input[type=search], input[type=number], input[type=password], select, textarea {
          font: inherit; padding: .4rem .55rem; border: 1px solid #a8a8b0; border-radius: 6px; background: #fff; color: var(--ink); max-width: 100%; }
        textarea { width: 100%; min-height: 7rem; }
        button { font: inherit; padding: .4rem .85rem; border-radius: 6px; border: 1px solid #a8a8b0; background: #fff; color: var(--ink); cursor: pointer; }
        button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
        button.danger { border-color: var(--bad); color: var(--bad); }
        button:disabled { opacity: .55; cursor: default; }
        .row { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; }
        .field { display: flex; flex-direction: column; gap: .2rem; }
        .field.grow { flex: 1 1 18rem; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .75rem .6rem; margin: 0; }
        legend { padding: 0 .3rem; font-weight: 500; }
        .checks { display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
        .checks label { font-weight: normal; }
        .layout { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem; align-items: start; }
        .results { list-style: none; margin: 0; padding: 0; }
        .results li { border-bottom: 1px solid var(--line); }
        .results button.hit { display: block; width: 100%; text-align: left; border: 0; border-radius: 0; background: transparent; padding: .6rem .4rem; }
        .results button.hit:hover, .results button.hit[aria-current="true"] { background: #eef2fb; }
        .excerpt { display: block; overflow-wrap: anywhere; }
        .badges { display: flex; flex-wrap: wrap; gap: .3rem; margin-top: .25rem; font-size: .8rem; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: 1em; border: 1px solid currentColor; color: var(--muted); }
        .badge.PRIVATE { color: var(--private); } .badge.PROJECT { color: var(--project); }
        .badge.SHARED { color: var(--shared); } .badge.GLOBAL { color: var(--global); }
        .badge.flag { color: var(--bad); }
        .content { white-space: pre-wrap; overflow-wrap: anywhere; background: #fbfbfa; border: 1px solid var(--line); border-radius: 6px; padding: .75rem; margin: 0; }
        dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .75rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
        th { color: var(--muted); font-weight: 500; }
        .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
        .side h4 { margin: 0 0 .35rem; }
        ins { background: var(--ins); text-decoration: none; }
        del { background: var(--del); }
        .switch { display: flex; gap: .5rem; align-items: center; }
        .state-ok { color: var(--ok); font-weight: 600; }
        .state-alert { color: var(--bad); font-weight: 600; }
        .state-na { color: var(--muted); }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; }
        .card h3 { margin: 0 0 .25rem; font-size: .95rem; }
        .big { font-size: 1.35rem; font-weight: 600; }
        svg.spark { width: 100%; height: 60px; display: block; margin-top: .4rem; }
        svg.spark .line { fill: none; stroke: var(--accent); stroke-width: 2; }
        svg.spark .target { stroke: var(--bad); stroke-dasharray: 4 3; stroke-width: 1; }
        .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; }
        @media (max-width: 820px) {
          .layout, .sides { grid-template-columns: minmax(0, 1fr); }
          main { padding: .75rem; }
          .lang { margin-left: 0; }
          dl.facts { grid-template-columns: minmax(0, 1fr); }
          dl.facts dt { margin-top: .35rem; }
        }
        """#
}
