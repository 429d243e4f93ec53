// The console's files live in Swift string literals so that they are compiled into the
// binary: nothing to install beside it, no build step, no network. Edit the text as it is.

/// The console's script: plain DOM, no framework. Memory text is set as text only (`textContent`), never as markup.
enum ConsoleScript {
    static let source = #"""
        // The TMWS console: plain DOM, no framework, no third-party code. Text from memories (which
        // other devices can write) is only ever set as text, never as markup.
        "use strict";

        const SCOPES = ["PRIVATE", "PROJECT", "SHARED", "GLOBAL"];
        const CSRF = document.querySelector('meta[name="tmws-csrf"]').content;
        let lang = localStorage.getItem("tmws.lang") || ((navigator.language || "en").startsWith("ja") ? "ja" : "en");

        function t(key, values) {
          let text = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key] || key;
          for (const [name, value] of Object.entries(values || {})) text = text.replace("{" + name + "}", String(value));
          return text;
        }

        // Builds an element: attributes (on* never used), then children (strings become text nodes).
        function h(tag, attributes, ...children) {
          const element = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes || {})) {
            if (value === undefined || value === null || value === false) continue;
            if (name === "class") element.className = value;
            else if (name === "text") element.textContent = value;
            else if (name === "onclick" || name === "onsubmit" || name === "onchange") element.addEventListener(name.slice(2), value);
            else element.setAttribute(name, value === true ? "" : String(value));
          }
          for (const child of children.flat(Infinity)) {
            if (child === undefined || child === null || child === false) continue;
            element.append(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          return element;
        }

        // Replaces an element's children with these (nested arrays flattened, empty ones left out:
        // the DOM's own replaceChildren would write "null").
        function fill(element, ...children) {
          element.replaceChildren(...children.flat(Infinity).filter((child) => child !== undefined && child !== null && child !== false)
            .map((child) => child instanceof Node ? child : document.createTextNode(String(child))));
        }

        class ApiError extends Error {
          constructor(status, problem) {
            super((problem && problem.detail) || "HTTP " + status);
            this.status = status;
            this.problem = problem;
          }
        }

        async function api(method, path, body) {
          const headers = { "X-TMWS-CSRF": CSRF, "X-TMWS-Agent": "console", "Accept": "application/json" };
          const token = sessionStorage.getItem("tmws.token");
          if (token) headers["Authorization"] = "Bearer " + token;
          if (body !== undefined) headers["Content-Type"] = "application/json";
          const response = await fetch(path, {
            method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit", cache: "no-store",
          });
          const type = response.headers.get("content-type") || "";
          const data = type.includes("json") ? await response.json() : await response.text();
          if (response.status === 401) askForToken();
          if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : null);
          return data;
        }

        function notify(text, isError) {
          const notice = document.getElementById("notice");
          notice.textContent = text;
          notice.className = isError ? "notice error" : "notice";
          notice.hidden = false;
        }

        function clearNotice() {
          document.getElementById("notice").hidden = true;
        }

        function failure(error) {
          notify(t("error") + ": " + (error && error.message ? error.message : String(error)), true);
        }

        function askForToken() {
          if (document.getElementById("token-form")) return;
          const input = h("input", { type: "password", id: "token", autocomplete: "off", required: true });
          const form = h("form", { id: "token-form", class: "panel", "aria-labelledby": "token-title" },
            h("h2", { id: "token-title", text: t("token.title") }), h("p", { text: t("token.explain") }),
            h("div", { class: "row" }, h("div", { class: "field grow" }, h("label", { for: "token", text: t("token.title") }), input),
              h("button", { class: "primary", type: "submit", text: t("token.save") })));
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            sessionStorage.setItem("tmws.token", input.value.trim());
            form.remove();
            route();
            updateCounts();
          });
          document.getElementById("main").prepend(form);
          input.focus();
        }

        function formatTime(iso) {
          if (!iso) return t("never");
          const date = new Date(iso);
          return isNaN(date) ? String(iso) : date.toLocaleString(lang === "ja" ? "ja-JP" : undefined);
        }

        function yesNo(value) { return value ? t("yes") : t("no"); }

        function facts(pairs) {
          return h("dl", { class: "facts" }, pairs.filter((pair) => pair).map(([name, value]) => [h("dt", { text: name }), h("dd", {}, value)]));
        }

        function heading(key, extra) {
          return h("h2", { tabindex: "-1", id: "view-title" }, t(key), extra || "");
        }

        // MARK: - Memories

        const search = {
          query: "", mode: "", strategy: "", scopes: [], namespace: "", tags: "", tagMatch: "any", team: "",
          archived: false, superseded: false, unreviewed: false, results: null, note: "", next: null,
        };

        // The next page of a list (no search), appended to the results.
        async function loadMore() {
          const page = await api("GET", "/v1/memories?" + search.next);
          let memories = page.memories || [];
          if (search.team.trim()) memories = memories.filter((memory) => (memory.team || "") === search.team.trim());
          search.results = search.results.concat(memories);
          if (page.next_cursor) search.next.set("cursor", page.next_cursor); else search.next = null;
          renderResults(currentID());
        }

        function memoryBadges(memory) {
          return h("span", { class: "badges" },
            h("span", { class: "badge " + memory.scope, text: memory.scope }),
            memory.namespace ? h("span", { class: "badge", text: memory.namespace }) : null,
            (memory.tags || []).map((tag) => h("span", { class: "badge", text: "#" + tag })),
            memory.pinned ? h("span", { class: "badge", text: t("detail.pinned") }) : null,
            memory.archived ? h("span", { class: "badge", text: t("search.archived") }) : null,
            memory.reviewed === false ? h("span", { class: "badge flag", text: t("detail.review") }) : null);
        }

        function excerpt(text, length) {
          const flat = String(text || "").replace(/\s+/g, " ").trim();
          return flat.length > length ? flat.slice(0, length - 1) + "…" : flat;
        }

        async function runSearch() {
          const tags = search.tags.split(",").map((tag) => tag.trim()).filter((tag) => tag);
          let memories;
          search.note = "";
          search.next = null;
          if (search.query.trim()) {
            const body = { query: search.query, limit: 25, include_archived: search.archived, include_superseded: search.superseded };
            if (search.scopes.length) body.scopes = search.scopes;
            if (search.namespace.trim()) body.namespace = search.namespace.trim();
            if (tags.length) { body.tags = tags; body.tag_match = search.tagMatch; }
            if (search.mode) body.mode = search.mode;
            if (search.strategy) body.strategy = search.strategy;
            const answer = await api("POST", "/v1/search", body);
            memories = (answer.results || []).map((hit) => hit.memory || hit);
            search.note = answer.note || "";
          } else if (search.unreviewed) {
            memories = (await api("GET", "/v1/review?limit=100")).memories || [];
          } else {
            const query = new URLSearchParams({ limit: "50" });
            for (const scope of search.scopes) query.append("scope", scope);
            if (search.namespace.trim()) query.set("namespace", search.namespace.trim());
            for (const tag of tags) query.append("tag", tag);
            if (tags.length) query.set("tag_match", search.tagMatch);
            if (search.archived) query.set("include_archived", "true");
            if (search.superseded) query.set("include_superseded", "true");
            const page = await api("GET", "/v1/memories?" + query);
            memories = page.memories || [];
            search.next = page.next_cursor ? query : null;
            if (search.next) search.next.set("cursor", page.next_cursor);
          }
          // Team and review state are filters of this page: the API has no parameter for them.
          if (search.team.trim()) memories = memories.filter((memory) => (memory.team || "") === search.team.trim());
          if (search.unreviewed) memories = memories.filter((memory) => memory.reviewed === false);
          search.results = memories;
        }

        function searchForm() {
          const scopeBoxes = SCOPES.map((scope) => h("label", {},
            h("input", { type: "checkbox", name: "scope", value: scope, checked: search.scopes.includes(scope) }), " " + scope));
          const option = (value, label, current) => h("option", { value, selected: value === current }, label);
          const form = h("form", { role: "search", class: "panel", id: "search-form", "aria-label": t("search.query") },
            h("div", { class: "row" },
              h("div", { class: "field grow" }, h("label", { for: "q", text: t("search.query") }),
                h("input", { type: "search", id: "q", name: "q", value: search.query, placeholder: t("search.placeholder") })),
              h("div", { class: "field" }, h("label", { for: "mode", text: t("search.mode") }),
                h("select", { id: "mode" }, option("", t("search.default"), search.mode),
                  ["lexical", "vector", "hybrid"].map((mode) => option(mode, mode, search.mode)))),
              h("div", { class: "field" }, h("label", { for: "strategy", text: t("search.strategy") }),
                h("select", { id: "strategy" }, option("", t("search.default"), search.strategy),
                  ["local_first", "cloud_first", "hybrid"].map((strategy) => option(strategy, strategy, search.strategy)))),
              h("button", { class: "primary", type: "submit", id: "search-submit", text: t("search.submit") })),
            h("details", { open: search.scopes.length || search.namespace || search.tags || search.team || search.archived || search.superseded || search.unreviewed ? true : null },
              h("summary", { text: t("search.scopes") + " · " + t("search.namespace") + " · " + t("search.tags") + " · " + t("search.team") }),
              h("div", { class: "row", style: null },
                h("fieldset", {}, h("legend", { text: t("search.scopes") }), h("div", { class: "checks" }, scopeBoxes)),
                h("div", { class: "field" }, h("label", { for: "ns", text: t("search.namespace") }), h("input", { type: "text", id: "ns", value: search.namespace })),
                h("div", { class: "field" }, h("label", { for: "tags", text: t("search.tags") }), h("input", { type: "text", id: "tags", value: search.tags })),
                h("div", { class: "field" }, h("label", { for: "tag-match", text: t("search.tagMatch") }),
                  h("select", { id: "tag-match" }, option("any", t("search.any"), search.tagMatch), option("all", t("search.all"), search.tagMatch))),
                h("div", { class: "field" }, h("label", { for: "team", text: t("search.team") }), h("input", { type: "text", id: "team", value: search.team })),
                h("fieldset", {}, h("legend", { text: t("search.show") }), h("div", { class: "checks" },
                  h("label", {}, h("input", { type: "checkbox", id: "archived", checked: search.archived }), " " + t("search.archived")),
                  h("label", {}, h("input", { type: "checkbox", id: "superseded", checked: search.superseded }), " " + t("search.superseded")),
                  h("label", {}, h("input", { type: "checkbox", id: "unreviewed", checked: search.unreviewed }), " " + t("search.unreviewed")))))));
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            search.query = form.querySelector("#q").value;
            search.mode = form.querySelector("#mode").value;
            search.strategy = form.querySelector("#strategy").value;
            search.scopes = [...form.querySelectorAll('input[name="scope"]:checked')].map((box) => box.value);
            search.namespace = form.querySelector("#ns").value;
            search.tags = form.querySelector("#tags").value;
            search.tagMatch = form.querySelector("#tag-match").value;
            search.team = form.querySelector("#team").value;
            search.archived = form.querySelector("#archived").checked;
            search.superseded = form.querySelector("#superseded").checked;
            search.unreviewed = form.querySelector("#unreviewed").checked;
            try {
              clearNotice();
              await runSearch();
              renderResults(currentID());
              document.getElementById("results-title").focus();
            } catch (error) { failure(error); }
          });
          return form;
        }

        function currentID() {
          const parts = location.hash.replace(/^#\/?/, "").split("/");
          return parts[0] === "memories" && parts[1] ? decodeURIComponent(parts[1]) : null;
        }

        function renderResults(selected) {
          const holder = document.getElementById("results");
          if (!holder) return;
          const memories = search.results || [];
          fill(holder,
            h("h3", { id: "results-title", tabindex: "-1" }, t("results.label") + " ", h("span", { class: "muted", text: "(" + t("results.count", { n: memories.length }) + ")" })),
            search.note ? h("p", { class: "muted", text: search.note }) : null,
            memories.length === 0 ? h("p", { class: "muted", text: t("results.none") }) :
              h("ul", { class: "results", "aria-labelledby": "results-title" }, memories.map((memory) => h("li", {},
                h("button", {
                  type: "button", class: "hit", "data-id": memory.id, "aria-current": memory.id === selected ? "true" : null,
                  onclick: () => { location.hash = "#/memories/" + encodeURIComponent(memory.id); },
                }, h("span", { class: "excerpt", text: excerpt(memory.content, 160) }), memoryBadges(memory))))),
            search.next ? h("div", { class: "actions" }, h("button", {
              type: "button", id: "more", text: t("results.more"), onclick: () => loadMore().catch(failure),
            })) : null);
        }

        async function viewMemories(main, id) {
          fill(main, heading("memories.title"), searchForm(),
            h("div", { class: "layout" }, h("section", { id: "results", class: "panel", "aria-label": t("results.label") }),
              h("section", { id: "detail", class: "panel", "aria-live": "polite", "aria-label": t("detail.title") },
                h("p", { class: "muted", text: t("detail.none") }))));
          if (search.results === null) await runSearch();
          renderResults(id);
          if (id) await showMemory(id);
        }

        async function showMemory(id) {
          const holder = document.getElementById("detail");
          fill(holder, h("p", { class: "muted", text: t("loading") }));
          let memory, history;
          try {
            [memory, history] = await Promise.all([api("GET", "/v1/memories/" + encodeURIComponent(id)),
              api("GET", "/v1/memories/" + encodeURIComponent(id) + "/history").catch(() => ({ memories: [] }))]);
          } catch (error) {
            fill(holder, h("p", { class: "alert", role: "alert", text: error.message }));
            return;
          }
          const c = memory.classification || {};
          const refusal = h("div", { id: "refusal", role: "alert" });
          const chain = (history.memories || []);
          fill(holder,
            h("h3", { id: "detail-title", tabindex: "-1", text: t("detail.title") + " " + memory.id.slice(0, 8) }),
            h("pre", { class: "content", id: "memory-content", text: memory.content }),
            memoryBadges(memory),
            refusal,
            detailActions(memory, refusal),
            memory.reviewed === false ? h("section", { class: "panel", "aria-labelledby": "review-h" },
              h("h3", { id: "review-h", text: t("detail.review") }),
              facts([[t("detail.reviewKinds"), (memory.review_kinds || []).join(", ")],
                memory.provenance ? [t("detail.provenance"), provenanceText(memory.provenance)] : null])) : null,
            h("h3", { text: t("detail.classification") }),
            h("section", { id: "classification", "aria-label": t("detail.classification") }, facts([
              [t("detail.autoScope"), c.auto_scope || "-"],
              [t("detail.overridden"), yesNo(c.overridden)],
              [t("detail.confidence"), typeof c.confidence === "number" ? c.confidence.toFixed(2) : "-"],
              [t("detail.kind"), c.knowledge_type || "-"],
              [t("detail.reasons"), h("ul", { id: "reasons" }, (c.reasons || []).map((reason) => h("li", { text: reason })))],
              [t("detail.findings"), (c.finding_types || []).length ? h("span", { id: "finding-types" },
                c.finding_types.map((type) => [h("span", { class: "badge flag", text: type }), " "])) : t("none")],
              (c.warnings || []).length ? [t("detail.warnings"), h("ul", {}, c.warnings.map((warning) => h("li", { text: warning })))] : null,
              c.redacted ? [t("detail.redacted"), t("yes")] : null,
            ])),
            h("h3", { text: t("detail.facts") }),
            facts([
              [t("detail.id"), h("span", { class: "mono", text: memory.id })],
              [t("detail.scope"), memory.scope], [t("detail.namespace"), memory.namespace],
              memory.team ? [t("detail.team"), memory.team] : null,
              [t("detail.tags"), (memory.tags || []).join(", ") || t("none")],
              [t("detail.importance"), String(memory.importance)], [t("detail.version"), String(memory.version)],
              [t("detail.created"), formatTime(memory.created_at)], [t("detail.updated"), formatTime(memory.updated_at)],
              [t("detail.device"), h("span", { class: "mono", text: memory.origin_device || "-" })],
              [t("detail.agent"), memory.agent_id || "-"], [t("detail.reads"), String(memory.access_count || 0)],
              [t("detail.expires"), memory.expires_at ? formatTime(memory.expires_at) : t("never")],
              [t("detail.pinned"), yesNo(memory.pinned)], [t("detail.archived"), yesNo(memory.archived)],
            ]),
            h("h3", { text: t("detail.history") }),
            chain.length > 1 ? h("ol", { id: "history" }, chain.map((entry) => h("li", {},
              h("a", { href: "#/memories/" + encodeURIComponent(entry.id), class: "mono", text: entry.id.slice(0, 8) }),
              " v" + entry.version + " · " + formatTime(entry.updated_at) + " · " + excerpt(entry.content, 80))))
              : h("p", { class: "muted", text: t("detail.historyNone") + " (v" + memory.version + ")" }));
        }

        function provenanceText(provenance) {
          return [provenance.agent_id || provenance.agent, provenance.device || provenance.origin_device, formatTime(provenance.at || provenance.written_at)]
            .filter((part) => part).join(" · ");
        }

        function detailActions(memory, refusal) {
          const id = encodeURIComponent(memory.id);
          async function change(body, message) {
            fill(refusal);
            try {
              const updated = await api("PATCH", "/v1/memories/" + id, Object.assign({ expected_version: memory.version }, body));
              search.results = null;
              await viewMemories(document.getElementById("main"), memory.id);
              notify(message || t("detail.saved", { v: updated.version }));
            } catch (error) {
              fill(refusal, h("p", { class: "alert", id: "refusal-text", text: t("detail.refused") + ": " + error.message }));
            }
          }
          const scopeSelect = h("select", { id: "scope-select", "aria-label": t("detail.changeScope") },
            SCOPES.map((scope) => h("option", { value: scope, selected: scope === memory.scope }, scope)));
          const editor = h("form", { id: "edit-form", hidden: true, class: "panel" },
            h("div", { class: "field" }, h("label", { for: "edit-content", text: t("detail.content") }),
              h("textarea", { id: "edit-content" }, memory.content)),
            h("div", { class: "row" },
              h("div", { class: "field" }, h("label", { for: "edit-tags", text: t("search.tags") }),
                h("input", { type: "text", id: "edit-tags", value: (memory.tags || []).join(", ") })),
              h("div", { class: "field" }, h("label", { for: "edit-importance", text: t("detail.importance") }),
                h("input", { type: "number", id: "edit-importance", min: "0", max: "1", step: "0.05", value: memory.importance }))),
            h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: t("detail.save") }),
              h("button", { type: "button", text: t("detail.cancel"), onclick: () => { editor.hidden = true; } })));
          editor.addEventListener("submit", (event) => {
            event.preventDefault();
            change({
              content: editor.querySelector("#edit-content").value,
              tags: editor.querySelector("#edit-tags").value.split(",").map((tag) => tag.trim()).filter((tag) => tag),
              importance: Number(editor.querySelector("#edit-importance").value),
            });
          });
          return h("div", {},
            h("div", { class: "actions" },
              h("button", { type: "button", id: "edit", text: t("detail.edit"), onclick: () => { editor.hidden = false; editor.querySelector("textarea").focus(); } }),
              h("span", { class: "row" }, scopeSelect,
                h("button", { type: "button", id: "scope-apply", text: t("detail.changeScope"), onclick: () => change({ scope: scopeSelect.value }) })),
              h("button", { type: "button", id: "pin", text: memory.pinned ? t("detail.unpin") : t("detail.pin"), onclick: () => change({ pinned: !memory.pinned }) }),
              h("button", {
                type: "button", class: "danger", id: "delete", text: t("detail.delete"), onclick: async () => {
                  if (!confirm(t("detail.confirmDelete"))) return;
                  try {
                    await api("DELETE", "/v1/memories/" + id + "?expected_version=" + memory.version);
                    search.results = null;
                    location.hash = "#/memories";
                    notify(t("detail.deleted"));
                  } catch (error) { fill(refusal, h("p", { class: "alert", text: t("detail.refused") + ": " + error.message })); }
                },
              })),
            editor);
        }
        """#
}
