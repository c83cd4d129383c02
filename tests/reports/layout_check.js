// Layout checks run inside a report page by tests/reports/test_layout.py (headless Chromium at
// 1400 px). The result is written as JSON into a hidden pre element (id wb-layout-result).
(function () {
  const RAW_FLOAT = /(?<![\w.])[-+]?\d[\d,]*\.\d+(?:[eE][-+]?\d+)?|(?<![\w.])[-+]?\d[eE][-+]?\d+/g;
  const SHOW = 80;

  function sigDigits(token) {
    let mant = token.replace(/^[-+]/, "").split(/[eE]/)[0].replace(/,/g, "");
    mant = mant.replace(".", "").replace(/^0+/, "");
    return mant.length;
  }

  function describe(el) {
    const fig = el.closest(".js-plotly-plot") || (el.classList && el.classList.contains("js-plotly-plot") ? el : null);
    if (fig) {
      const t = fig.querySelector(".gtitle");
      return "figure '" + (t ? t.textContent : "(untitled)").slice(0, SHOW) + "'";
    }
    const tab = el.closest("table") || el;
    const wrap = tab.closest(".wb-table");
    const name = wrap ? " '" + wrap.getAttribute("data-wb-table") + "'" : "";
    const heads = Array.from(tab.querySelectorAll("th")).slice(0, 4).map(h => h.textContent.trim());
    return "table" + name + " [" + heads.join(" | ").slice(0, SHOW) + "]";
  }

  function inScroller(el, vw) {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if ((cs.overflowX === "auto" || cs.overflowX === "scroll") && cs.display !== "table-cell") {
        const r = a.getBoundingClientRect();
        return r.right <= vw + 1 && r.left >= -1;
      }
    }
    return false;
  }

  function overlaps(a, b) {
    return a.width > 0 && b.width > 0 && a.left < b.right - 1 && b.left < a.right - 1 &&
      a.top < b.bottom - 1 && b.top < a.bottom - 1;
  }

  function run() {
    const problems = [];
    const vw = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll("table, .js-plotly-plot, pre")) {
      if (el.closest("[hidden]") || el.getBoundingClientRect().width === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 1 && r.left >= -1) continue;
      if (inScroller(el, vw)) continue;
      problems.push({check: "overflow", element: describe(el),
                     detail: "right edge at " + Math.round(r.right) + " px, page is " + vw +
                             " px wide, and no scrolling container holds it"});
    }
    if (document.documentElement.scrollWidth > vw + 1) {
      problems.push({check: "overflow", element: "page",
                     detail: "page scrolls sideways: " + document.documentElement.scrollWidth +
                             " px content in " + vw + " px"});
    }
    for (const fig of document.querySelectorAll(".js-plotly-plot")) {
      const legend = fig.querySelector("g.legend");
      if (!legend) continue;
      const lb = legend.getBoundingClientRect();
      for (const sel of [".gtitle", ".g-xtitle text", ".g-ytitle text", ".g-x2title text",
                         ".g-y2title text"]) {
        for (const t of fig.querySelectorAll(sel)) {
          if (t.textContent.trim() && overlaps(lb, t.getBoundingClientRect())) {
            problems.push({check: "legend", element: describe(fig),
                           detail: "legend box covers " + sel + " '" + t.textContent.slice(0, SHOW) + "'"});
          }
        }
      }
    }
    for (const cell of document.querySelectorAll("td, th")) {
      const text = cell.textContent;
      if (text.includes("00:00:00")) {
        problems.push({check: "time", element: describe(cell),
                       detail: "cell shows a midnight time: '" + text.trim().slice(0, SHOW) + "'"});
      }
      for (const tok of text.match(RAW_FLOAT) || []) {
        if (sigDigits(tok) > 6) {
          problems.push({check: "float", element: describe(cell),
                         detail: "raw float with " + sigDigits(tok) + " significant digits: '" + tok + "'"});
        }
      }
    }
    const pre = document.createElement("pre");
    pre.id = "wb-layout-result";
    pre.textContent = JSON.stringify({problems: problems, figures: document.querySelectorAll(".js-plotly-plot").length,
                                      tables: document.querySelectorAll("table").length});
    pre.style.display = "none";
    document.body.appendChild(pre);
  }

  window.addEventListener("load", () => setTimeout(run, 3000));
})();
