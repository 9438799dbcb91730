// "Were you affected?": the reader's browser checks their reference code
// against the published answers, which are keyed by a hash of each code
// and hold no name, address or email. An answer's secret part (an
// enrolment code) is encrypted with a key made from the code itself.
(function () {
  "use strict";
  var form = document.getElementById("affected-form");
  var input = document.getElementById("affected-code");
  var answer = document.getElementById("affected-answer");
  if (!form || !input || !answer || !window.crypto || !window.crypto.subtle || !window.fetch) return;
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var manifest = null;
  form.hidden = false;

  function parse(typed) {
    var code = typed.toUpperCase().replace(/[^0-9A-Z]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
    if (code.length !== 18) return null;
    var sum = 0;
    for (var i = 0; i < 17; i++) {
      var v = ALPHABET.indexOf(code.charAt(16 - i));
      if (v < 0) return null;
      if (i % 2 === 0) v *= 2;
      sum += Math.floor(v / 32) + (v % 32);
    }
    return ALPHABET.charAt((32 - (sum % 32)) % 32) === code.charAt(17) ? code : null;
  }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  }
  function getJSON(url) {
    return fetch(url, { credentials: "omit" }).then(function (r) {
      if (r.status === 404) return {};
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }
  function decrypt(code, sealed) {
    var bytes = Uint8Array.from(atob(sealed), function (c) { return c.charCodeAt(0); });
    return sha256("candor-lookup-key-v1\n" + code).then(function (raw) {
      return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
    }).then(function (key) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, key, bytes);
    }).then(function (plain) { return new TextDecoder().decode(plain); });
  }
  function el(tag, text) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    return e;
  }
  function say(nodes, found) {
    answer.textContent = "";
    answer.className = "affected-answer newer";
    nodes.forEach(function (n) { answer.appendChild(n); });
  }
  // The page's words, in its language (English if a page has none).
  var words = {};
  try { words = JSON.parse(document.getElementById("affected-words").textContent); } catch (e) { words = {}; }
  function w(key, english, fill) {
    var text = words[key] || english;
    Object.keys(fill || {}).forEach(function (k) { text = text.split("{" + k + "}").join(fill[k]); });
    return text;
  }
  // A notice's address in the page's language.
  function localised(url) {
    var root = form.getAttribute("data-root") || "/";
    var prefix = form.getAttribute("data-prefix") || "";
    return prefix && url.indexOf(root) === 0 ? root + prefix + url.slice(root.length) : url;
  }
  function show(code, entry) {
    var a = manifest.audiences[entry[0]];
    if (!a) return say([el("p", w("unreadable", "We could not read the answer for this code. Please call us."))], false);
    var nodes = [el("h2", w("yes", "Yes: your details were involved"))];
    nodes.push(el("p", w("one_of", "You are one of: {name}.", { name: a.name })));
    if (a.data_types.length) {
      nodes.push(el("p", w("what_involved", "What of yours was involved:")));
      var list = el("ul");
      a.data_types.forEach(function (d) { list.appendChild(el("li", d)); });
      nodes.push(list);
    }
    var next = el("p");
    var link = el("a", w("read_notice", "Read the notice for you, with what to do"));
    link.href = localised(a.url);
    next.appendChild(link);
    nodes.push(next);
    var offer = a.offer;
    if (offer) {
      nodes.push(el("h3", w("offer_heading", "What we offer you")));
      nodes.push(el("p", w("offer", "{what}. How to take it up: {how}", { what: offer.what, how: offer.how }) + (offer.deadline ? " " + w("by", "By {deadline}.", { deadline: offer.deadline }) : "")));
    }
    if (offer && offer.code && entry[1]) {
      return decrypt(code, entry[1]).then(function (secret) {
        var p = el("p", w("your_code", "Your {code}:", { code: offer.code.toLowerCase() }) + " ");
        p.appendChild(el("strong", secret));
        nodes.push(p);
        say(nodes, true);
      }, function () { say(nodes, true); });
    }
    say(nodes, true);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check(input.value);
  });
  function check(typed) {
    var code = parse(typed);
    if (!code) {
      return say([el("p", w("not_a_code", "That is not a reference code: it should be 18 letters and numbers, such as 7KQ-M3X-D29-HFA-T4P-WR8. Check it against your letter or email."))], false);
    }
    answer.textContent = w("checking", "Checking…");
    var load = manifest ? Promise.resolve(manifest) : getJSON(form.getAttribute("data-manifest")).then(function (m) { manifest = m; return m; });
    load.then(function (m) {
      return sha256("candor-lookup-v1\n" + code).then(function (h) {
        var key = hex(h);
        return getJSON(form.getAttribute("data-shards") + key.slice(0, m.prefix) + ".json").then(function (shard) {
          var entry = shard[key.slice(m.prefix, m.prefix + m.key)];
          if (entry) return show(code, entry);
          say([el("p", w("no_record", "We have no record of this code. If you typed it from a letter or email that looks like ours, please call us: it may not be from us."))], false);
        });
      });
    }).catch(function () {
      say([el("p", w("failed", "The check did not work just now. Please try again, or call us."))], false);
    });
  }
  var fromLink = decodeURIComponent(location.hash.replace(/^#/, ""));
  if (fromLink) {
    input.value = fromLink;
    check(fromLink);
  }
})();
