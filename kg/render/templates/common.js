/* Helpers both pages share. Every element is built from text (textContent), never from HTML,
   so nothing an article says can run as script. */
var kgText = {
  el: function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  },
  trim: function (text, max) {
    text = String(text);
    return text.length > max ? text.slice(0, max - 1) + "\u2026" : text;
  },
  /* "— Outlet, 2024-02-14, Headline" for one source of an event */
  source: function (s) {
    var parts = [s.outlet || "unknown outlet"];
    if (s.published) parts.push(s.published);
    if (s.headline) parts.push(kgText.trim(s.headline, 100));
    else if (s.identifier) parts.push(s.identifier);
    return "\u2014 " + parts.join(", ");
  }
};
