// What a license needs, at a glance: a badge with text for each kind of attention the desk
// reports for it (licdesk_core::Attention: a code and its values), worded here in the user's
// language; its title — and the text screen readers read — says which system or FailoverSuite
// it concerns and what to do. The "Needs attention" toggle and the count beside the heading.
import { html } from "../html.js";
import { formatDate, formatNumber, t } from "../i18n.js";

/** How a badge looks: the critical ones red, warnings amber, waiting neutral. */
const TONE = {
  violation: "bad",
  tampered_journal: "bad",
  final_warning: "bad",
  stale_journal: "warn",
  out_of_date: "warn",
  warning: "warn",
  waiting_for_vendor: "wait",
};

/** The badge's own words (short) and its full sentence. */
function words(a) {
  const values = {
    failover: a.failover || "",
    license: a.license || "",
    hours: a.hours === undefined ? "" : formatNumber(a.hours),
    since: a.since ? formatDate(a.since) : "",
    role: a.role ? t(`role.${a.role}`) : "",
  };
  return {
    label: t(`attention.${a.code}`, values),
    sentence: t(`attention.${a.code}.title`, values),
  };
}

/**
 * The badges of `attention` (most urgent first, as the desk orders them): one per kind with the
 * same words — the main system and a standby both waiting for the vendor are one badge, whose
 * title and hidden text say both sentences. None: nothing.
 */
export function attentionBadges(attention) {
  if (!attention || attention.length === 0) return "";
  const byLabel = new Map();
  for (const a of attention) {
    const { label, sentence } = words(a);
    const badge = byLabel.get(label) || { code: a.code, label, sentences: [] };
    badge.sentences.push(sentence);
    byLabel.set(label, badge);
  }
  const badges = Array.from(byLabel.values()).map(({ code, label, sentences }) => {
    const tone = TONE[code] || "warn";
    const full = sentences.join(" ");
    return html`<li class="attention-badge tone-${tone}" data-attention="${code}" title="${full}">${label}<span class="visually-hidden">: ${full}</span></li>`;
  });
  return html`<ul class="attention-badges" aria-label="${t("attention.list")}">${badges}</ul>`;
}

/** The count beside the heading: how many licenses of the store need attention. */
export function attentionCountText(total) {
  if (total === 0) return t("attention.count.none");
  return total === 1 ? t("attention.count.one") : t("attention.count", { count: formatNumber(total) });
}
