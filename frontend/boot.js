// Inlined into each HTML shell (index.html, dossier.html, desk.html) by trunk
// (`<link data-trunk rel="inline">`): one source, no extra request before the
// first paint.
// Before the first paint: the language and text size chosen on this
// device (the app keeps them in localStorage).
(function () {
  var d = document.documentElement, lang = "vi";
  try {
    var s = window.localStorage, l = s.getItem("motcua.lang");
    if (["en", "hmn", "blt", "km", "rad", "jra"].indexOf(l) >= 0) {
      lang = l;
      // Its strings, fetched while the app downloads (src/i18n.rs).
      var strings = document.createElement("link");
      strings.rel = "preload"; strings.as = "fetch"; strings.crossOrigin = "anonymous";
      // With the version this device last saw (src/state.rs): the address the app asks for.
      var v = s.getItem("motcua.lang.v");
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
    if (s.getItem("motcua.large") === "1") d.className = "large-text";
  } catch (e) {}
  d.lang = lang;
})();
