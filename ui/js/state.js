// What the window holds between renders: the list's filter and page, the license open in the
// detail panel, the screen shown and what concerns the whole store. Every screen reads it from
// here; the module that loads a part is the one that writes it.

/** Rows per page of the licenses list. */
export const PAGE = 50;

export const state = {
  /** The list's filter as typed (trimmed), its first row's offset, the total matching, the rows shown. */
  filter: "",
  offset: 0,
  total: 0,
  rows: [],
  /** Whether a page has arrived: before, the list shows nothing (not "no licenses"). */
  listed: false,
  /** The list's order (`customer`, `license`, `users`, `status`, `changed`), its direction, and
   *  whether it shows only the licenses needing attention; how many of the store's need it. */
  order: "customer",
  descending: false,
  needsAttention: false,
  attentionTotal: 0,
  /** The license number open in the detail panel, and its detail once loaded (null: none). */
  selected: null,
  detail: null,
  storePath: "",
  /** The screen shown: "licenses", "machine" or "keys". */
  view: "licenses",
  /** The usage journals whose own signature fails (store_info's `unverified_journals`). */
  unverified: [],
};
