// The counter page's script: follows GET /state, builds the lines and the receipt from it
// (every text comes from the server, in the page's language), and posts the payments with the
// run's token. Nothing is written as HTML: texts go in as text.
"use strict";
(function () {
  const token = document.querySelector('meta[name="counter-token"]').content;
  const lang = document.documentElement.lang;
  const texts = document.getElementById("texts").dataset;
  const $ = (id) => document.getElementById(id);
  let shown = "";
  let state = null;
  let busy = false;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function say(text, ok) {
    const m = $("message");
    m.textContent = text || "";
    m.className = ok ? "ok" : "";
  }

  function renderLines(s) {
    const body = $("lines").querySelector("tbody");
    body.replaceChildren();
    s.lines.forEach((l) => {
      const tr = el("tr", null, l.payable ? "payable" : "not-payable");
      const tick = el("td");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "line";
      box.value = String(l.number);
      box.checked = l.payable;
      box.disabled = !l.payable;
      box.id = "line-" + l.number;
      box.setAttribute("aria-label", l.what);
      tick.appendChild(box);
      tr.appendChild(tick);
      tr.appendChild(el("td", l.what));
      tr.appendChild(el("td", l.amount, "amount"));
      tr.appendChild(el("td", l.state));
      tr.appendChild(el("td", l.collector));
      body.appendChild(tr);
    });
    $("no-lines").hidden = s.lines.length > 0;
    $("lines").hidden = s.lines.length === 0;
    const select = $("collector");
    select.replaceChildren();
    s.collectors.forEach((c) => {
      const o = el("option", c.label);
      o.value = c.value;
      select.appendChild(o);
    });
    $("id-number").value = "";
    $("pay").disabled = !s.can_pay;
    $("collect").hidden = !s.can_pay;
  }

  function renderReceipt(r) {
    $("receipt-heading").textContent = r.heading;
    $("receipt-holder").textContent = [r.holder, r.ssn].filter(Boolean).join(" — ");
    $("receipt-time").textContent = r.time;
    const body = $("receipt-lines").querySelector("tbody");
    body.replaceChildren();
    r.lines.forEach((l) => {
      const tr = el("tr");
      tr.appendChild(el("td", l.what));
      tr.appendChild(el("td", l.amount, "amount"));
      body.appendChild(tr);
    });
    $("receipt-total").textContent = r.total;
    $("receipt-signed").textContent = r.signed_by;
    $("hand-over").textContent = r.hand_over;
  }

  function render(s) {
    state = s;
    $("point").textContent = s.point;
    $("today").textContent = s.today;
    const lists = $("lists");
    lists.replaceChildren();
    s.lists.forEach((l) => lists.appendChild(el("li", l.text, l.stale ? "stale" : "")));
    const key = s.generation + ":" + s.phase + ":" + (s.receipt ? s.receipt.number : "");
    if (key === shown) return;
    shown = key;
    if (!busy) say(s.message ? s.message.text : "", s.message && s.message.ok);
    $("empty").hidden = s.phase !== "empty";
    $("card").hidden = !s.verdict || s.phase === "empty";
    $("receipt").hidden = !s.receipt;
    if (s.verdict) {
      const v = s.verdict;
      $("verdict").className = "verdict " + v.mark;
      $("verdict-text").textContent = v.text;
      const d = $("verdict-details");
      d.replaceChildren();
      v.details.forEach((t) => d.appendChild(el("li", t)));
      $("holder").hidden = !v.holder;
      if (v.holder) {
        $("holder-name").textContent = v.holder.name;
        $("holder-ssn").textContent = v.holder.ssn;
        $("holder-dob").textContent = v.holder.date_of_birth;
      }
      $("lines-heading").textContent = v.month || "";
      renderLines(s);
      if (s.phase === "card" && s.can_pay) $("pay").focus();
    }
    if (s.receipt) {
      renderReceipt(s.receipt);
      $("pay").disabled = true;
      $("collect").hidden = true;
      $("print").focus();
    }
  }

  async function refresh() {
    try {
      const r = await fetch("/state?lang=" + lang, { cache: "no-store" });
      if (r.ok) render(await r.json());
    } catch (e) {
      /* the loop is restarting: try again at the next tick */
    }
  }

  async function post(path, body) {
    busy = true;
    say(texts.paying, true);
    try {
      const r = await fetch(path + "?lang=" + lang, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Counter-Token": token },
        body: JSON.stringify(body),
      });
      const answer = await r.json();
      if (r.ok) {
        shown = "";
        say(answer.receipt.hand_over, true);
      } else {
        say(answer.message, false);
      }
    } finally {
      busy = false;
      await refresh();
    }
  }

  $("pay-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!state || busy) return;
    const lines = Array.from(document.querySelectorAll('input[name="line"]:checked')).map((b) => Number(b.value));
    if (lines.length === 0) { say(texts.nothingTicked, false); return; }
    const recipient = $("collector").value === "recipient";
    const id = $("id-number").value.trim();
    if (recipient && !id) { say(texts.idNeeded, false); $("id-number").focus(); return; }
    post("/pay", { generation: state.generation, lines: lines, id_number: recipient ? id : null });
  });

  $("fallback-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (busy) return;
    const f = e.target;
    post("/fallback", {
      reason: f.querySelector('input[name="reason"]:checked').value,
      ssn: $("fallback-ssn").value.trim(),
      qr_text: $("fallback-qr").value.trim() || null,
      id_number: $("fallback-id").value.trim() || null,
      id_checked: $("fallback-checked").checked,
    });
  });

  $("print").addEventListener("click", () => window.print());
  refresh();
  setInterval(refresh, 500);
})();
