//! Human-readable output. JSON output is the views serialized as they are.

use std::fmt::Write;

use licdesk_desk::{
    LicenseDetail, LicensePage, LicenseSummary, RequestWritten, Status, SystemView, TrustedKeyView,
};
use licdesk_store::AuditEntry;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct HardwareView {
    pub hardware_id: String,
    pub label: Option<String>,
    pub components: usize,
    pub file: Option<String>,
}

pub fn hardware(h: &HardwareView) -> String {
    let mut s = format!("Hardware ID: {}\n", h.hardware_id);
    if let Some(l) = &h.label {
        let _ = writeln!(s, "Host name:   {l}");
    }
    let _ = writeln!(
        s,
        "Components:  {} (hashed; no raw MAC address or serial number is shown or written)",
        h.components
    );
    if let Some(f) = &h.file {
        let _ = writeln!(s, "Written to:  {f}");
    }
    s
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Active => "active",
        Status::OutOfDate => "OUT OF DATE",
    }
}

fn extensions_line(l: &LicenseSummary) -> String {
    let mut parts: Vec<String> = l
        .extensions
        .iter()
        .map(|e| format!("{} ×{}", e.name, e.quantity))
        .collect();
    for f in &l.failovers {
        let standby = match &f.standby {
            Some(s) => format!("standby {}", status_word(s.status)),
            None => "no standby".into(),
        };
        parts.push(format!("FailoverSuite {} ({standby})", f.license));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

pub fn page(p: &LicensePage) -> String {
    if p.rows.is_empty() {
        return if p.total == 0 {
            "No licenses match.\n".into()
        } else {
            format!(
                "No rows at offset {} ({} licenses match).\n",
                p.offset, p.total
            )
        };
    }
    let mut s = String::new();
    for l in &p.rows {
        let main = l
            .main_system
            .as_ref()
            .map(|m| format!("main {}", status_word(m.status)))
            .unwrap_or_else(|| "main not activated".into());
        let _ = writeln!(
            s,
            "{}{}  {}  {}  [{}]  {}",
            l.license,
            if l.demo { " DEMO" } else { "" },
            l.customer,
            l.variant.describe(),
            main,
            extensions_line(l)
        );
    }
    let shown = p.offset as u64 + p.rows.len() as u64;
    let _ = writeln!(s, "{}–{} of {} licenses", p.offset + 1, shown, p.total);
    s
}

fn system(s: &mut String, v: &SystemView) {
    let _ = writeln!(
        s,
        "  Hardware ID: {}{}",
        v.hardware_id,
        v.label
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default()
    );
    if let Some(m) = v.mode {
        let _ = writeln!(s, "  Mode:        {}", m.describe());
    }
    let _ = writeln!(s, "  State:       {}", v.status.describe());
    let _ = writeln!(s, "  Registered:  {}", v.registered_at);
    if let Some(a) = v.activated_at {
        let _ = writeln!(s, "  Activated:   {a}");
    }
    if !v.entitlements.is_empty() {
        let _ = writeln!(s, "  Entitlements:");
        for e in &v.entitlements {
            let _ = writeln!(s, "    {} {} ×{}", e.article, e.name, e.quantity);
        }
    }
}

pub fn detail(d: &LicenseDetail) -> String {
    let l = &d.summary;
    let mut s = String::new();
    let _ = writeln!(s, "{}{}", l.license, if l.demo { "  [DEMO]" } else { "" });
    let _ = writeln!(s, "Customer:  {}", l.customer);
    let _ = writeln!(
        s,
        "Variant:   OfficeMaster Suite, {} (revision {})",
        l.variant.describe(),
        l.revision
    );
    let _ = writeln!(s, "Vendor:    {} ({})", d.vendor, d.key_id);
    let _ = writeln!(s, "Issued:    {}", d.issued_at);
    let _ = writeln!(s, "Entitlements:");
    for e in &d.entitlements {
        let _ = writeln!(s, "  {} {} ×{}", e.article, e.name, e.quantity);
    }
    for f in &l.failovers {
        let _ = writeln!(s, "  {} FailoverSuite {}", f.article, f.license);
    }
    let _ = writeln!(s, "Main system:");
    match &l.main_system {
        Some(m) => system(&mut s, m),
        None => {
            let _ = writeln!(s, "  not activated");
        }
    }
    for f in &l.failovers {
        let _ = writeln!(s, "Standby of FailoverSuite {}:", f.license);
        match &f.standby {
            Some(v) => {
                system(&mut s, v);
                match v.notice_acknowledged_at {
                    Some(at) => {
                        let _ = writeln!(s, "  Notice:      acknowledged {at}");
                    }
                    None => {
                        let _ = writeln!(s, "  Notice:      not yet acknowledged (licdesk standby acknowledge --failover {})", f.license);
                    }
                }
            }
            None => {
                let _ = writeln!(s, "  none registered");
            }
        }
        five_days(&mut s, f);
    }
    for n in &d.notices {
        let _ = writeln!(s, "NOTICE: {n}");
    }
    s
}

pub fn registered(v: &SystemView) -> String {
    let mut s = format!("Standby registered for FailoverSuite {}:\n", v.license);
    system(&mut s, v);
    s.push_str("Next: licdesk request --license ");
    s.push_str(v.license.as_str());
    s.push_str(" --role standby --out FILE\n");
    s
}

pub fn request(r: &RequestWritten) -> String {
    format!(
        "Activation request for {} ({} on {}, mirroring {}) written to {}\nSend it to the vendor and import the response with: licdesk import RESPONSE-FILE\n",
        r.license,
        r.role.code(),
        r.hardware_id,
        r.mirrors,
        r.file
    )
}

pub fn trusted(k: &TrustedKeyView, added: bool) -> String {
    if added {
        format!(
            "Now trusting vendor key {} of {} (recorded in the audit log).\n",
            k.key_id, k.vendor
        )
    } else {
        format!(
            "Vendor key {} of {} was already trusted.\n",
            k.key_id, k.vendor
        )
    }
}

pub fn trusted_list(keys: &[TrustedKeyView]) -> String {
    let mut s = String::new();
    for k in keys {
        let _ = writeln!(
            s,
            "{}  {}  {}{}",
            k.key_id,
            k.origin,
            k.vendor,
            if k.demo { "  [DEMO]" } else { "" }
        );
    }
    s
}

pub fn audit(entries: &[AuditEntry]) -> String {
    let mut s = String::new();
    for e in entries {
        let _ = writeln!(
            s,
            "{}  {:<22} {:<20} {}",
            e.at, e.action, e.subject, e.detail
        );
    }
    s
}

/// The five-day status of a FailoverSuite's standby (R12), as of its latest trusted journal.
fn five_days(s: &mut String, f: &licdesk_desk::FailoverView) {
    let Some(report) = &f.usage else {
        let _ = writeln!(s, "  Five-day rule: no usage journal imported yet");
        return;
    };
    let open: Vec<_> = report
        .tampered
        .iter()
        .filter(|t| t.dismissed.is_none())
        .collect();
    for t in &open {
        let short = &t.file_hash[..t.file_hash.len().min(12)];
        let _ = writeln!(
            s,
            "  Five-day rule: USAGE JOURNAL TAMPERED (SHA-256 {short}…, imported {}): {}",
            t.imported_at, t.tamper
        );
        let _ = writeln!(
            s,
            "  Once resolved: licdesk journal dismiss --journal {short} --reason TEXT"
        );
    }
    if !open.is_empty() && report.evaluation.is_some() {
        let _ = writeln!(s, "  The latest trusted journal:");
    }
    if let Some(e) = &report.evaluation {
        let current = e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0) as f64 / 3600.0;
        let _ = writeln!(
            s,
            "  Five-day rule: {current:.1} h under load in the current episode (limit {} h), as of {}: {}",
            e.limits.max_load_hours,
            e.at,
            licdesk_desk::level_word(e.current_level(), &e.limits)
        );
        let acknowledged = report.violations_acknowledged.as_ref();
        for ep in e.episodes.iter().filter(|ep| ep.over_limit_seconds > 0) {
            let _ = write!(
                s,
                "  VIOLATION: the episode since {} ran {:.1} h under load, {:.1} h over the limit of {} h",
                ep.start,
                ep.load_seconds as f64 / 3600.0,
                ep.over_limit_seconds as f64 / 3600.0,
                e.limits.max_load_hours
            );
            match acknowledged.filter(|a| ep.start <= a.through) {
                Some(a) => {
                    let _ = writeln!(s, " (acknowledged {}: {})", a.at, a.reason);
                }
                None if report.open_violations.iter().any(|o| o.start == ep.start) => {
                    let _ = writeln!(
                        s,
                        " (ended; once looked into: licdesk journal acknowledge --failover {} --reason TEXT)",
                        f.license
                    );
                }
                None => {
                    let _ = writeln!(s, " (still running)");
                }
            }
        }
    }
}
