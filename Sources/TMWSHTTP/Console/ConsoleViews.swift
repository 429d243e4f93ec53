// The console's files live in Swift string literals so that they are compiled into the
// binary: nothing to install beside it, no build step, no network. Edit the text as it is.

/// The console's views besides Memories (sync, conflicts, review, teams, health) and its routing.
enum ConsoleViews {
    static let source = #"""
        // The console's views besides Memories, and the routing between them.
        "use strict";

        // MARK: - Sync

        async function viewSync(main) {
          const [status, quarantine] = await Promise.all([api("GET", "/v1/sync"), api("GET", "/v1/sync/quarantine")]);
          const sync = status.sync || {};
          const hybrid = status.hybrid || {};
          const hub = status.hub || {};
          const rollout = hybrid.rollout;
          async function flip(body) {
            try {
              await api("PATCH", "/v1/sync", body);
              await viewSync(main);
              notify(Object.entries(body).map(([name, value]) => name + ": " + (value ? t("sync.on") : t("sync.off"))).join(", "));
            } catch (error) {
              // The switch shows what the node holds, not what was asked for.
              await viewSync(main).catch(() => {});
              failure(error);
            }
          }
          const offline = h("input", { type: "checkbox", role: "switch", id: "offline", checked: sync.offline });
          offline.addEventListener("change", () => flip({ offline: offline.checked }));
          const paused = h("input", { type: "checkbox", role: "switch", id: "paused", checked: sync.paused });
          paused.addEventListener("change", () => flip({ paused: paused.checked }));
          fill(main, heading("sync.title"),
            h("section", { class: "panel", "aria-label": t("sync.hybrid") },
              h("p", {}, h("strong", { text: t("sync.hybrid") + ": " }),
                h("span", { id: "hybrid-state", class: hybrid.on ? "state-ok" : "state-na", text: hybrid.on ? t("sync.on") : t("sync.off") })),
              facts([[t("sync.why"), h("span", { id: "hybrid-reason", text: hybrid.reason || "" })],
                [t("sync.hub"), (hub.url || "-") + " — " + (hub.detail || "")],
                [t("sync.latency"), hub.latency_ms !== undefined && hub.latency_ms !== null ? hub.latency_ms + " ms" : "-"]])),
            h("section", { class: "panel", "aria-labelledby": "switches-h" }, h("h3", { id: "switches-h", text: t("sync.switches") }),
              h("div", { class: "switch" }, offline, h("label", { for: "offline", text: t("sync.offline") })),
              h("div", { class: "switch" }, paused, h("label", { for: "paused", text: t("sync.paused") })),
              h("div", { class: "actions" }, h("button", {
                type: "button", class: "primary", id: "sync-now", text: t("sync.now"), onclick: async () => {
                  try {
                    const done = await api("POST", "/v1/sync/now");
                    await viewSync(main);
                    notify(t("sync.done", { p: done.pushed, l: done.pulled, c: done.conflicts }));
                  } catch (error) { failure(error); }
                },
              }))),
            h("section", { class: "panel", "aria-label": t("sync.title") }, facts([
              [t("sync.pending"), h("span", { id: "pending", text: String(sync.pending) })],
              [t("sync.quarantined"), String(sync.quarantined)],
              [t("sync.conflicts"), h("a", { href: "#/conflicts", text: String(sync.conflicts) })],
              [t("sync.lastSuccess"), formatTime(sync.last_success)],
              [t("sync.failures"), String(sync.consecutive_failures)],
              sync.last_error ? [t("sync.lastError"), sync.last_error] : null,
              sync.pull_refused ? [t("sync.refused"), sync.pull_refused + " (" + (sync.last_pull_refusal || "") + ")"] : null,
              sync.sealed_waiting ? [t("sync.waiting"), sync.sealed_waiting + ": " + (sync.sealed_waiting_reason || "")] : null,
              status.cache ? [t("sync.cache"), status.cache.mode + " · " + t("sync.held", { n: status.cache.held_memories, b: bytes(status.cache.held_bytes) }) +
                (status.cache.evicted_memories ? " · " + t("sync.evicted", { n: status.cache.evicted_memories }) : "")] : null,
              status.archive ? [t("sync.archive"), t("sync.archived", { n: status.archive.memories, b: bytes(status.archive.stored_bytes) })] : null,
            ])),
            h("section", { class: "panel", "aria-labelledby": "rollout-h" }, h("h3", { id: "rollout-h", text: t("sync.rollout") }),
              rollout ? facts([[t("sync.enabled"), yesNo(rollout.enabled)], [t("sync.why"), rollout.reason],
                [t("sync.bucket"), String(rollout.bucket)], [t("sync.fetched"), formatTime(hybrid.rollout_fetched_at)]])
                : h("p", { class: "muted", text: t("sync.noRollout") })),
            h("section", { class: "panel", "aria-labelledby": "quarantine-h" }, h("h3", { id: "quarantine-h", text: t("sync.quarantine") }),
              (quarantine.events || []).length === 0 ? h("p", { class: "muted", text: t("sync.quarantineNone") }) :
                h("table", {}, h("thead", {}, h("tr", {}, [t("sync.event"), t("sync.memory"), t("detail.findings"), t("sync.since")].map((name) => h("th", { scope: "col", text: name })))),
                  h("tbody", {}, quarantine.events.map((event) => h("tr", {},
                    h("td", { class: "mono", text: event.event_id || event.eventID || "" }), h("td", { class: "mono", text: event.memory_id || event.memoryID || "" }),
                    h("td", { text: (event.finding_types || event.findingTypes || []).join(", ") }), h("td", { text: formatTime(event.quarantined_at || event.quarantinedAt) })))))));
        }

        function bytes(count) {
          const value = Number(count) || 0;
          return value < 1024 ? value + " B" : value < 1048576 ? (value / 1024).toFixed(1) + " KiB" : (value / 1048576).toFixed(1) + " MiB";
        }

        // MARK: - Conflicts

        // Word-level differences (longest common subsequence), as nodes: removed words in <del>,
        // added ones in <ins>.
        function diff(before, after) {
          const a = String(before || "").split(/(\s+)/), b = String(after || "").split(/(\s+)/);
          if (a.length * b.length > 250000) return [[h("span", { text: before })], [h("span", { text: after })]];
          const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
          for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--)
            table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
          const left = [], right = [];
          let i = 0, j = 0;
          while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i] === b[j]) { left.push(a[i]); right.push(b[j]); i++; j++; }
            else if (j < b.length && (i === a.length || table[i][j + 1] >= table[i + 1][j])) { right.push(h("ins", { text: b[j] })); j++; }
            else { left.push(h("del", { text: a[i] })); i++; }
          }
          return [left, right];
        }

        async function viewConflicts(main) {
          const list = await api("GET", "/v1/conflicts");
          const conflicts = list.conflicts || [];
          fill(main, heading("conflicts.title"),
            conflicts.length === 0 ? h("p", { class: "panel muted", id: "no-conflicts", text: t("conflicts.none") }) :
              conflicts.map((conflict) => conflictPanel(main, conflict, list)));
        }

        // A device by name: this one, the tenant's as the hub names them, else a short id.
        function deviceLabel(id, list) {
          if (id === list.this_device) return t("conflicts.thisDevice");
          const name = (list.device_names || {})[id];
          return name || t("conflicts.deviceId", { id: String(id || "").slice(0, 8) });
        }

        function conflictPanel(main, conflict, list) {
          // Words only the other device has are marked removed, words only this one has added.
          const [remoteWords, localWords] = diff(conflict.remote.content, conflict.local.content);
          const side = (key, version, words, isWinner) => h("div", { class: "side panel", "data-side": key },
            h("h4", {}, t(key === "local" ? "conflicts.local" : "conflicts.remote"), isWinner ? h("span", { class: "badge", text: t("conflicts.current") }) : ""),
            facts([[t("conflicts.device"), h("span", { class: "device", title: version.device || "", text: deviceLabel(version.device, list) })], [t("conflicts.written"), formatTime(version.updated_at)],
              [t("detail.version"), String(version.version)]]),
            h("pre", { class: "content", text: null }, version.content === null || version.content === undefined ? t("conflicts.deleted") : words));
          const resolve = async (keep, content) => {
            try {
              const result = await api("POST", "/v1/conflicts/" + encodeURIComponent(conflict.id), content === undefined ? { keep } : { keep, content });
              await viewConflicts(main);
              updateCounts();
              notify(t("conflicts.resolved", { k: result.kept }));
            } catch (error) { failure(error); }
          };
          const merged = h("textarea", { id: "merged-" + conflict.id, "aria-label": t("conflicts.mergedText") },
            (conflict.winner === "local" ? conflict.local.content : conflict.remote.content) || "");
          const mergeForm = h("form", { hidden: true, class: "merge" },
            h("label", { for: "merged-" + conflict.id, text: t("conflicts.mergedText") }), merged,
            h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", text: t("conflicts.saveMerged") })));
          mergeForm.addEventListener("submit", (event) => { event.preventDefault(); resolve("merged", merged.value); });
          return h("article", { class: "panel conflict", "data-id": conflict.id, "aria-label": conflict.id },
            h("h3", {}, h("a", { href: "#/memories/" + encodeURIComponent(conflict.id), class: "mono", text: conflict.id })),
            h("div", { class: "sides" },
              side("local", conflict.local, localWords, conflict.winner === "local"),
              side("remote", conflict.remote, remoteWords, conflict.winner === "remote")),
            h("div", { class: "actions" },
              h("button", { type: "button", class: "keep-local", text: t("conflicts.keepLocal"), onclick: () => resolve("local") }),
              h("button", { type: "button", class: "keep-remote", text: t("conflicts.keepRemote"), onclick: () => resolve("remote") }),
              h("button", { type: "button", class: "merge-open", text: t("conflicts.merge"), onclick: () => { mergeForm.hidden = false; merged.focus(); } })),
            mergeForm);
        }

        // MARK: - Review

        async function viewReview(main) {
          const page = await api("GET", "/v1/review?limit=100");
          const memories = page.memories || [];
          const decide = async (memory, decision) => {
            try {
              await api("POST", "/v1/review/" + encodeURIComponent(memory.id), { decision });
              search.results = null;
              await viewReview(main);
              updateCounts();
              notify(decision === "accept" ? t("review.accepted") : t("review.rejected"));
            } catch (error) { failure(error); }
          };
          fill(main, heading("review.title"), h("p", { class: "muted", text: t("review.explain") }),
            memories.length === 0 ? h("p", { class: "panel muted", id: "no-review", text: t("review.none") }) :
              memories.map((memory) => h("article", { class: "panel review", "data-id": memory.id, "aria-label": memory.id },
                h("pre", { class: "content", text: memory.content }), memoryBadges(memory),
                facts([[t("detail.reviewKinds"), (memory.review_kinds || []).join(", ")],
                  memory.provenance ? [t("detail.provenance"), provenanceText(memory.provenance)] : null]),
                h("div", { class: "actions" },
                  h("button", { type: "button", class: "primary accept", text: t("review.accept"), onclick: () => decide(memory, "accept") }),
                  h("button", { type: "button", class: "danger reject", text: t("review.reject"), onclick: () => {
                    if (confirm(t("detail.confirmDelete"))) decide(memory, "reject");
                  } })))));
        }

        // MARK: - Teams

        async function viewTeams(main) {
          const view = await api("GET", "/v1/teams");
          const teams = view.teams || [];
          fill(main, heading("teams.title"), h("p", { class: "muted", text: t("teams.cli") }),
            view.detail ? h("p", { class: "panel", text: view.detail }) : null,
            teams.length === 0 ? h("p", { class: "panel muted", text: t("teams.none") }) :
              teams.map((team) => {
                const verified = team.verified;
                return h("article", { class: "panel", "aria-label": team.name },
                  h("h3", { text: team.name }),
                  facts([[t("detail.id"), h("span", { class: "mono", text: team.id })], [t("teams.role"), team.role],
                    verified ? [t("teams.epoch"), String(verified.epoch)] : null,
                    verified ? [t("teams.log"), verified.log_entries + " · " + String(verified.log_head || "").slice(0, 16)] : null]),
                  team.error ? h("p", { class: "alert", text: team.error }) : null,
                  verified ? h("table", {},
                    h("thead", {}, h("tr", {}, [t("teams.member"), t("teams.memberRole"), t("teams.device"), t("teams.fingerprint")].map((name) => h("th", { scope: "col", text: name })))),
                    h("tbody", {}, verified.members.flatMap((member) => (member.devices.length ? member.devices : [null]).map((device) => h("tr", {},
                      h("td", { text: member.name }), h("td", { text: member.role }), h("td", { text: device ? device.name : "-" }),
                      h("td", { class: "mono", text: device ? device.fingerprint : "-" })))))) : null);
              }));
        }

        // MARK: - Health

        const SVG = "http://www.w3.org/2000/svg";

        function svg(tag, attributes) {
          const element = document.createElementNS(SVG, tag);
          for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
          return element;
        }

        // A small line chart of one metric's samples, with its target as a dashed line.
        function sparkline(values, target, label) {
          const chart = svg("svg", { class: "spark", viewBox: "0 0 200 60", preserveAspectRatio: "none", role: "img", "aria-label": label });
          const known = values.filter((value) => typeof value === "number" && isFinite(value));
          if (known.length === 0) return chart;
          const top = Math.max(...known, target === null ? 0 : target) || 1;
          const y = (value) => 56 - (value / top) * 52;
          if (target !== null) chart.append(svg("line", { class: "target", x1: 0, x2: 200, y1: y(target), y2: y(target) }));
          const step = values.length > 1 ? 200 / (values.length - 1) : 0;
          const points = values.map((value, index) => typeof value === "number" && isFinite(value) ? (index * step).toFixed(1) + "," + y(value).toFixed(1) : null)
            .filter((point) => point);
          chart.append(svg("polyline", { class: "line", points: points.length === 1 ? points[0] + " 200," + points[0].split(",")[1] : points.join(" ") }));
          return chart;
        }

        // The target as a number on the metric's own scale (ratios 0–1, seconds, counts).
        function targetValue(metric) {
          const match = /([\d.]+)\s*(%|ms)?/.exec(metric.target || "");
          if (!match) return null;
          const number = Number(match[1]);
          return match[2] === "%" ? number / 100 : match[2] === "ms" ? number / 1000 : number;
        }

        async function viewHealth(main) {
          const view = await api("GET", "/v1/health/metrics");
          const samples = view.samples || [];
          fill(main, heading("health.title"), h("p", { class: "muted", text: t("health.explain") }),
            h("div", { class: "cards", id: "metrics" }, (view.metrics || []).map((metric, index) => {
              const state = metric.state === "ok" ? "state-ok" : metric.state === "ALERT" ? "state-alert" : "state-na";
              const name = t("metric." + metric.name);
              const series = samples.map((sample) => sample.values[index]);
              return h("section", { class: "card", "aria-label": name },
                h("h3", { text: name }),
                h("div", { class: "big" }, metric.display, " ", h("span", { class: state, text: metric.state })),
                h("div", { class: "muted", text: t("health.target") + " " + metric.target }),
                sparkline(series, targetValue(metric), name + ": " + metric.display),
                series.some((value) => typeof value === "number") ? null : h("div", { class: "muted", text: t("health.noData") }));
            })));
        }

        // MARK: - Routing

        const VIEWS = { memories: viewMemories, sync: viewSync, conflicts: viewConflicts, review: viewReview, teams: viewTeams, health: viewHealth };
        let healthTimer = null;

        async function updateCounts() {
          try {
            const [conflicts, review] = await Promise.all([api("GET", "/v1/conflicts"), api("GET", "/v1/review?limit=100")]);
            document.getElementById("count-conflicts").textContent = conflicts.count ? String(conflicts.count) : "";
            document.getElementById("count-review").textContent = (review.memories || []).length ? String(review.memories.length) : "";
          } catch (error) { /* the view being shown reports errors */ }
        }

        async function route() {
          const parts = location.hash.replace(/^#\/?/, "").split("/");
          const name = VIEWS[parts[0]] ? parts[0] : "memories";
          for (const link of document.querySelectorAll("#nav a")) {
            if (link.dataset.view === name) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
          }
          document.title = t("nav." + name) + " · TMWS";
          clearInterval(healthTimer);
          const main = document.getElementById("main");
          if (main.dataset.view !== name) clearNotice();
          // On the first view of a fresh page, focus stays at the top (the skip link comes first).
          const moved = main.dataset.view !== undefined && main.dataset.view !== name;
          main.dataset.view = name;
          delete main.dataset.ready;
          try {
            await VIEWS[name](main, parts[1] ? decodeURIComponent(parts[1]) : null);
            main.dataset.ready = name;
            if (name === "health") healthTimer = setInterval(() => viewHealth(main).catch(failure), 5000);
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 401)) failure(error);
          }
          // Focus follows navigation: the view's heading, or the memory just opened.
          const target = parts[1] && main.dataset.loaded ? document.getElementById("detail-title") : moved ? document.getElementById("view-title") : null;
          main.dataset.loaded = "yes";
          if (target) target.focus();
        }

        function translatePage() {
          document.documentElement.lang = lang;
          for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
          document.getElementById("skip").textContent = t("skip");
          document.getElementById("lang").value = lang;
        }

        document.addEventListener("DOMContentLoaded", () => {
          translatePage();
          document.getElementById("lang").addEventListener("change", (event) => {
            lang = event.target.value;
            localStorage.setItem("tmws.lang", lang);
            translatePage();
            route();
          });
          window.addEventListener("hashchange", route);
          route();
          updateCounts();
        });
        """#
}
