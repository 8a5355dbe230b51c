/* Papan status E-SAKIP: reads initData and the theme from Telegram (the WebApp object when the
   client provides it, else the #tgWebAppData fragment Telegram opens the page with), asks the
   bot for the status and draws it. Nothing is loaded from outside this origin. */
"use strict";
(function () {
  var TEKS = {
    langkah: [
      {selesai: "Diterima", berjalan: "Belum diterima", terlambat: "Terlambat", belum: "Menunggu surat",
       tidak_selesai: "Tidak selesai", dikembalikan: "Dikembalikan"},
      {selesai: "Dilaporkan", berjalan: "Mengisi", terlambat: "Terlambat", belum: "Belum",
       tidak_selesai: "Tidak selesai", dikembalikan: "Diperbaiki"},
      {selesai: "Sesuai", berjalan: "Menunggu", terlambat: "Terlambat", belum: "Belum",
       tidak_selesai: "Tidak selesai", dikembalikan: "Tidak sesuai"}
    ],
    tanda: {selesai: "✓", berjalan: "•", terlambat: "!", belum: "–", tidak_selesai: "×", dikembalikan: "↩"},
    bukaDariBot: "Buka papan ini dari bot E-SAKIP di Telegram (tombol menu atau tombol \u201cBuka papan status\u201d di bawah /rekap).",
    bukaLagi: " Tutup papan ini, lalu buka kembali dari bot.",
    tanpaSiklus: "Belum ada siklus Pengisian E-SAKIP.",
    gagal: "Gagal memperbarui; mencoba lagi.",
    kosong: "Tidak ada Perangkat Daerah yang sesuai saringan.",
    tanpaTugas: "Tidak ada tugas pejabat yang terbuka."
  };

  var $ = function (id) { return document.getElementById(id); };
  var tg = window.Telegram && window.Telegram.WebApp;
  var fragment = new URLSearchParams(location.hash.slice(1));
  var initData = (tg && tg.initData) || fragment.get("tgWebAppData") || "";
  var data = null, timer = null, refresh = 30, etag = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* Theme: Telegram's parameters as --tg-theme-* variables; dark or light from the background. */
  function applyTheme(params) {
    var root = document.documentElement;
    if (!params || !params.bg_color) return;
    Object.keys(params).forEach(function (key) {
      root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), params[key]);
    });
    var hex = params.bg_color.replace("#", "");
    if (hex.length === 6) {
      var n = parseInt(hex, 16), lum = 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
      root.setAttribute("data-scheme", lum < 128 ? "dark" : "light");
    }
  }
  var theme = null;
  try { theme = (tg && tg.themeParams && tg.themeParams.bg_color) ? tg.themeParams : JSON.parse(fragment.get("tgWebAppThemeParams") || "null"); } catch (e) { theme = null; }
  applyTheme(theme);
  if (tg) {
    if (tg.ready) tg.ready();
    if (tg.expand) tg.expand();
    if (tg.onEvent) tg.onEvent("themeChanged", function () { applyTheme(tg.themeParams); });
  } else {
    /* Without telegram-web-app.js: speak the client's own event bridge (a WebView proxy on the
       phone, postMessage to the frame's parent on the web) to say the page is ready, and follow
       theme changes. Neither is a network request. */
    var postEvent = function (type, data) {
      var payload = JSON.stringify(data || {});
      if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
        window.TelegramWebviewProxy.postEvent(type, payload);
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({eventType: type, eventData: data || {}}), "*");
      }
    };
    var onEvent = function (type, data) {
      if (type === "theme_changed" && data && data.theme_params) applyTheme(data.theme_params);
    };
    window.Telegram = window.Telegram || {};
    window.Telegram.WebView = window.Telegram.WebView || {receiveEvent: onEvent};
    window.addEventListener("message", function (event) {
      try { var m = JSON.parse(event.data); onEvent(m.eventType, m.eventData); } catch (e) { /* not ours */ }
    });
    if (fragment.get("tgWebAppData")) { postEvent("web_app_ready"); postEvent("web_app_expand"); }
  }

  function showMessage(text) {
    var box = $("pesan");
    box.textContent = text;
    box.hidden = !text;
  }

  function ask(path, tag) {
    var headers = {"Authorization": "tma " + initData};
    if (tag) headers["If-None-Match"] = tag;
    return fetch(path, {headers: headers, cache: "no-store", credentials: "omit"})
      .then(function (response) {
        if (tag && response.status === 304) return null;  // unchanged since the last answer
        if (tag !== undefined) etag = response.headers.get("ETag");
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            var error = new Error(body.error || ("HTTP " + response.status));
            error.status = response.status;
            throw error;
          }
          return body;
        });
      });
  }

  function load() {
    clearTimeout(timer);
    return ask("/papan/api/status", data ? etag : null).then(function (body) {
      if (body) {
        data = body;
        refresh = Math.max(0.2, Number(body.refresh_detik) || 30);
        showMessage("");
        draw();
      }
      timer = setTimeout(load, refresh * 1000);
    }, function (error) {
      if (error.status === 401 || error.status === 403) {
        showMessage(error.message + (error.status === 401 ? TEKS.bukaLagi : " Hubungi Tim SAKIP untuk pendaftaran."));
        $("diperbarui").textContent = "";
        return;
      }
      $("diperbarui").textContent = TEKS.gagal;
      timer = setTimeout(load, refresh * 1000);
    });
  }

  function draw() {
    var siklus = data.siklus, user = data.pengguna;
    $("lingkup").textContent = user.nama + " · " + user.peran_label + (user.semua ? "" : " · " + (user.opd || ""));
    if (!siklus) {
      showMessage(TEKS.tanpaSiklus);
      $("diperbarui").textContent = "";
      return;
    }
    $("tahun").textContent = siklus.tahun;
    $("diperbarui").textContent = "Diperbarui pukul " + siklus.diperbarui + " " + data.zona +
      (siklus.status === "closed" ? " · siklus selesai" : "") +
      (siklus.batas_pengisian ? " · batas pengisian " + siklus.batas_pengisian : "");
    ["ringkasan", "bagian-tugas", "bagian-opd", "bagian-grafik"].forEach(function (id) { $(id).hidden = false; });
    drawTotals();
    drawTasks();
    fillStatuses();
    drawRows();
  }

  function drawTotals() {
    var total = data.total;
    Array.prototype.forEach.call(document.querySelectorAll("[data-total]"), function (tile) {
      var key = tile.getAttribute("data-total"), value = total[key];
      var shown = (key === "terlambat" || key === "belum_ada_operator") ? String(value) : value + "/" + total.opd;
      tile.querySelector("b").textContent = shown;
    });
  }

  function drawTasks() {
    var list = $("tugas");
    list.textContent = "";
    if (!data.tugas.length) list.appendChild(el("li", "redup", TEKS.tanpaTugas));
    data.tugas.forEach(function (t) {
      var item = el("li", t.terlambat ? "lambat" : "");
      item.appendChild(el("div", "siapa", "Menunggu " + t.peran_singkat + " sejak " + t.sejak));
      var what = "Langkah " + t.langkah + " · " + t.judul;
      if (t.opd.length === 1) what += " — " + t.opd[0];
      if (t.opd.length > 1) what += " — " + t.opd.length + " Perangkat Daerah";
      var line = el("div", "apa", what);
      line.setAttribute("title", t.kegiatan);
      item.appendChild(line);
      if (t.opd.length > 1) {
        var names = t.opd.slice(0, 3).join("; ") + (t.opd.length > 3 ? "; dan " + (t.opd.length - 3) + " lainnya" : "");
        item.appendChild(el("div", "kapan", names));
      }
      var when = [];
      if (t.nama.length) when.push(t.nama.join(", "));
      if (t.batas) when.push("batas " + t.batas);
      if (when.length) item.appendChild(el("div", "kapan", when.join(" · ")));
      if (t.terlambat) {
        var late = "Terlambat " + t.terlambat + (t.jumlah > 1 ? " (" + t.terlambat_jumlah + " dari " + t.jumlah + ")" : "");
        item.appendChild(el("span", "lencana k-terlambat", late));
      }
      list.appendChild(item);
    });
  }

  function fillStatuses() {
    var select = $("status"), chosen = select.value, seen = {};
    while (select.options.length > 1) select.remove(1);
    data.opd.forEach(function (row) {
      if (seen[row.status]) return;
      seen[row.status] = true;
      var option = el("option", null, row.status_label);
      option.value = row.status;
      select.appendChild(option);
    });
    if (chosen && seen[chosen]) select.value = chosen;
  }

  function visibleRows() {
    var words = $("cari").value.trim().toLowerCase(), status = $("status").value, late = $("terlambat").checked;
    return data.opd.filter(function (row) {
      return (!words || row.nama.toLowerCase().indexOf(words) >= 0 || row.kode.toLowerCase().indexOf(words) >= 0) &&
        (!status || row.status === status) && (!late || row.terlambat);
    });
  }

  function cell(c, index) {
    var node = el("span", "sel k-" + c.keadaan);
    node.appendChild(document.createTextNode(TEKS.tanda[c.keadaan] + " " + TEKS.langkah[index][c.keadaan]));
    var detail = c.waktu || (c.batas ? "batas " + c.batas : "");
    if (c.keadaan === "selesai" && c.terlambat) detail = (c.waktu || "") + " (terlambat)";
    if (detail) node.appendChild(el("small", null, detail));
    node.setAttribute("title", "Langkah " + c.langkah + ": " + TEKS.langkah[index][c.keadaan]);
    return node;
  }

  function drawRows() {
    if (!data || !data.siklus) return;
    var rows = visibleRows(), list = $("opd");
    document.querySelector('[data-total="terlambat"]').setAttribute("aria-pressed", String($("terlambat").checked));
    list.textContent = "";
    $("jumlah").textContent = rows.length === data.opd.length ? data.opd.length + " Perangkat Daerah"
      : rows.length + " dari " + data.opd.length + " Perangkat Daerah";
    if (!rows.length) list.appendChild(el("li", "redup", TEKS.kosong));
    rows.forEach(function (row) {
      var item = el("li"), button = el("button", "baris" + (row.terlambat ? " lambat" : ""));
      button.type = "button";
      button.setAttribute("data-kode", row.kode);
      var top = el("span", "atas");
      top.appendChild(el("span", "nama", row.nama));
      top.appendChild(el("span", "lencana k-" + stateOf(row), row.status_label));
      if (row.terlambat) top.appendChild(el("span", "lencana k-terlambat", row.terlambat_kini ? "Terlambat " + row.terlambat_kini : "Pernah terlambat"));
      if (!row.operator) top.appendChild(el("span", "lencana k-belum", "Belum ada operator"));
      button.appendChild(top);
      var steps = el("span", "langkah");
      row.langkah.forEach(function (c, i) { steps.appendChild(cell(c, i)); });
      button.appendChild(steps);
      button.addEventListener("click", function () { openHistory(row.kode, row.nama); });
      item.appendChild(button);
      list.appendChild(item);
    });
    drawChart(rows);
  }

  function stateOf(row) {
    return {terverifikasi: "selesai", menunggu_verifikasi: "berjalan", mengisi: "berjalan", dikembalikan: "dikembalikan",
            belum_menerima: "berjalan", menunggu_surat: "belum", tidak_selesai: "tidak_selesai"}[row.status] || "belum";
  }

  /* Days taken per Perangkat Daerah: one stacked bar each, drawn as inline SVG. */
  function drawChart(rows) {
    var box = $("grafik"), ns = "http://www.w3.org/2000/svg";
    box.textContent = "";
    var shown = rows.filter(function (r) { return r.hari[0] !== null; });
    shown.sort(function (a, b) { return total(b) - total(a); });
    if (!shown.length) { box.appendChild(el("p", "redup", "Surat belum didistribusikan.")); return; }
    var max = 0;
    shown.forEach(function (r) { max = Math.max(max, total(r)); });
    max = max || 1;
    var width = 340, left = 0, barWidth = 280, rowHeight = 34;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (shown.length * rowHeight + 4));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Lama proses per Perangkat Daerah dalam hari");
    shown.forEach(function (r, i) {
      var y = i * rowHeight, x = left;
      var name = document.createElementNS(ns, "text");
      name.setAttribute("x", left); name.setAttribute("y", y + 12);
      name.textContent = r.nama.length > 46 ? r.nama.slice(0, 45) + "…" : r.nama;
      svg.appendChild(name);
      ["seg-menerima", "seg-mengisi", "seg-verifikasi"].forEach(function (cls, k) {
        var days = r.hari[k];
        if (days === null || days <= 0) return;
        var w = Math.max(1, days / max * barWidth);
        var rect = document.createElementNS(ns, "rect");
        rect.setAttribute("x", x); rect.setAttribute("y", y + 16);
        rect.setAttribute("width", w); rect.setAttribute("height", 12); rect.setAttribute("rx", 2);
        var running = !r.selesai && (k === 2 || r.hari[k + 1] === null);
        rect.setAttribute("class", cls + (running ? " berjalan" : ""));
        svg.appendChild(rect);
        x += w;
      });
      var value = document.createElementNS(ns, "text");
      value.setAttribute("x", x + 4); value.setAttribute("y", y + 27);
      value.setAttribute("class", "nilai");
      value.textContent = days(total(r));
      svg.appendChild(value);
    });
    box.appendChild(svg);
  }

  function total(r) { return (r.hari[0] || 0) + (r.hari[1] || 0) + (r.hari[2] || 0); }
  function days(value) { return (value < 10 ? value.toFixed(1) : Math.round(value)).toString().replace(".", ",") + " hari"; }

  function openHistory(kode, nama) {
    var panel = $("riwayat"), list = $("riwayat-isi");
    $("riwayat-judul").textContent = nama;
    $("riwayat-status").textContent = "Memuat riwayat…";
    list.textContent = "";
    panel.hidden = false;
    $("tutup").focus();
    ask("/papan/api/opd/" + encodeURIComponent(kode)).then(function (h) {
      var status = "Status: " + h.status_label;
      if (h.langkah && h.batas) status += " · batas Langkah " + h.langkah + ": " + h.batas;
      if (h.dikembalikan) status += " · dikembalikan " + h.dikembalikan + "×";
      $("riwayat-status").textContent = status;
      if (!h.peristiwa.length) list.appendChild(el("li", "redup", "Belum ada peristiwa tercatat."));
      h.peristiwa.forEach(function (e) {
        var item = el("li");
        item.appendChild(el("span", "waktu", e.waktu));
        item.appendChild(document.createTextNode(e.teks));
        if (e.catatan) item.appendChild(el("span", "catatan", "Catatan: \u201c" + e.catatan + "\u201d"));
        list.appendChild(item);
      });
    }, function (error) { $("riwayat-status").textContent = error.message; });
  }

  function closeHistory() { $("riwayat").hidden = true; }

  document.addEventListener("DOMContentLoaded", function () {
    $("cari").addEventListener("input", drawRows);
    $("status").addEventListener("change", drawRows);
    $("terlambat").addEventListener("change", drawRows);
    document.querySelector('[data-total="terlambat"]').addEventListener("click", function () {
      $("terlambat").checked = !$("terlambat").checked;
      drawRows();
    });
    $("tutup").addEventListener("click", closeHistory);
    $("riwayat").addEventListener("click", function (event) { if (event.target === $("riwayat")) closeHistory(); });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") closeHistory(); });
    if (!initData) { showMessage(TEKS.bukaDariBot); $("diperbarui").textContent = ""; return; }
    load();
  });
})();
