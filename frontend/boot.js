// Inlined into each HTML shell (index.html, dossier.html, desk.html) by trunk
// (`<link data-trunk rel="inline">`): one source, no extra request before the
// first paint.
// Before the first paint: the language and text size chosen on this
// device (the app keeps them in localStorage). A page the server drew
// (`data-server`, functions/pages) is already in the language and size its
// cookie names: it is left as it is, and only its strings and font are fetched.
//
// A server page also names the app (`data-app`, `data-app-wasm`) instead of
// loading it at once: the page is usable as it is, so the app (about 200 KB)
// is loaded only where it costs little. Already on the device (the service
// worker controls the page), or on a fast link: loaded now, and it takes the
// page over. On a slow or data-saving link: not on this page; the service
// worker keeps it, in the background, for the next one.
(function () {
  var d = document.documentElement, server = d.hasAttribute("data-server"), lang = server ? d.lang : "vi";
  try {
    var s = window.localStorage, saved = s.getItem("motcua.lang"), l = server ? d.lang : saved;
    if (["en", "hmn", "blt", "km", "rad", "jra"].indexOf(l) >= 0) {
      lang = l;
      // Its strings, fetched while the app downloads (src/i18n.rs).
      var strings = document.createElement("link");
      strings.rel = "preload"; strings.as = "fetch"; strings.crossOrigin = "anonymous";
      // With the version this device last saw (src/state.rs): the address the app asks for.
      var v = l === saved ? s.getItem("motcua.lang.v") : null;
      strings.href = "/locales/" + l + ".json" + (v && /^[0-9]+$/.test(v) ? "?v=" + v : "");
      document.head.appendChild(strings);
    }
    // Thái and Khmer letters need our fonts before the first paint (see src/state.rs).
    var font = { blt: "tai-viet", km: "khmer" }[lang];
    if (font) {
      var link = document.createElement("link");
      link.id = "font-" + font; link.rel = "stylesheet"; link.href = "/fonts/" + font + ".css";
      document.head.appendChild(link);
    }
    if (!server && s.getItem("motcua.large") === "1") d.className = "large-text";
  } catch (e) {}
  d.lang = lang;
  var app = d.getAttribute("data-app"), nav = navigator, sw = nav.serviceWorker, c = nav.connection;
  if (!server || !app) return;
  var slow = c && (c.saveData || /^(slow-2g|2g|3g)$/.test(c.effectiveType));
  if ((sw && sw.controller) || !slow) {
    import(app).then(function (m) { return m.default({ module_or_path: d.getAttribute("data-app-wasm") }); }).catch(function () {});
  } else if (sw) {
    sw.register("/sw.js").catch(function () {});
  }
})();
