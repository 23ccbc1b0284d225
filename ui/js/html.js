// A tiny escaping template: every interpolated value is text unless it is itself the result of
// `html`. Every value that came from a user or a file goes through here.

class Safe {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export function escape(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

function render(value) {
  if (value instanceof Safe) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escape(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Safe(out);
}

/** Replaces the content of `element` with escaped markup. */
export function mount(element, safe) {
  if (!(safe instanceof Safe)) throw new TypeError("mount() takes html`` markup only");
  element.innerHTML = safe.text;
}

/** Shows `value` in `element`: escaped markup made by `html`, or plain text. */
export function show(element, value) {
  if (value instanceof Safe) element.innerHTML = value.text;
  else element.textContent = value;
}
