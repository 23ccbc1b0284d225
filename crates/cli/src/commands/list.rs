//! `licdesk list` and `licdesk show LICENSE`: the licenses, and one base license in full.

use std::fmt;
use std::process::ExitCode;

use licdesk_core::{Attention, LicenseNumber};
use licdesk_desk::{FailoverView, LicenseDetail, LicensePage, LicenseSummary, Status, SystemView};
use serde::Serialize;

use super::{Context, Result};
use crate::args;

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only customers whose name contains TEXT (or license numbers starting with it).
    #[arg(long, value_name = "TEXT", default_value = "")]
    customer: String,
    /// Only the licenses that need attention (a violation, a warning, a tampered or overdue
    /// journal, out of date, waiting for the vendor's response).
    #[arg(long)]
    needs_attention: bool,
    /// The column to sort by: customer (natural, whatever the case and accents), license,
    /// users (10, 25, 250, unlimited), status (the main system's), changed (the last change).
    #[arg(long, value_name = "COLUMN", default_value = "customer", value_parser = args::list_order)]
    sort: licdesk_desk::ListOrder,
    /// Sorted the other way.
    #[arg(long)]
    descending: bool,
    #[arg(long, default_value_t = 0)]
    offset: u32,
    #[arg(long, default_value_t = 100)]
    limit: u32,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    #[arg(value_name = "LICENSE", value_parser = args::license)]
    license: LicenseNumber,
}

/// A page of base licenses (`total`, `offset`, `rows`, `attention_total`).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ListOutput(pub LicensePage);

/// One base license in full: its summary's fields, then `issued_at`, `key_id`, `vendor`,
/// `entitlements`, `notices`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ShowOutput(pub LicenseDetail);

pub fn list(args: ListArgs, ctx: &Context) -> Result {
    let page = ctx.open()?.list_page(&licdesk_desk::ListRequest {
        filter: &args.customer,
        needs_attention: args.needs_attention,
        order: args.sort,
        descending: args.descending,
        offset: args.offset,
        limit: args.limit,
    })?;
    ctx.emit(&ListOutput(page));
    Ok(ExitCode::SUCCESS)
}

pub fn show(args: ShowArgs, ctx: &Context) -> Result {
    ctx.emit(&ShowOutput(ctx.open()?.show(&args.license)?));
    Ok(ExitCode::SUCCESS)
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Active => "active",
        Status::OutOfDate => "OUT OF DATE",
    }
}

/// What a license needs, said for the terminal.
fn attention_words(a: &Attention) -> String {
    match a {
        Attention::Violation { failover } => {
            format!("five-day violation, not acknowledged ({failover})")
        }
        Attention::FinalWarning { failover, hours } => {
            format!("final warning: over {hours} h under load ({failover})")
        }
        Attention::Warning { failover, hours } => {
            format!("warning: over {hours} h under load ({failover})")
        }
        Attention::TamperedJournal { failover } => {
            format!("tampered usage journal, not dismissed ({failover})")
        }
        Attention::StaleJournal { failover, since } => {
            format!("no usage journal since {since} ({failover})")
        }
        Attention::OutOfDate { role, license } => format!(
            "{} system out of date: re-activate it (R5) ({license})",
            role.code()
        ),
        Attention::WaitingForVendor {
            role,
            license,
            since,
        } => format!(
            "{} system waiting for the vendor's response to the request of {since} ({license})",
            role.code()
        ),
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

impl fmt::Display for ListOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        if p.rows.is_empty() {
            return if p.total == 0 {
                writeln!(f, "No licenses match.")
            } else {
                writeln!(
                    f,
                    "No rows at offset {} ({} licenses match).",
                    p.offset, p.total
                )
            };
        }
        for l in &p.rows {
            let main = l
                .main_system
                .as_ref()
                .map(|m| format!("main {}", status_word(m.status)))
                .unwrap_or_else(|| "main not activated".into());
            writeln!(
                f,
                "{}{}  {}  {}  [{}]  {}",
                l.license,
                if l.demo { " DEMO" } else { "" },
                l.customer,
                l.variant.describe(),
                main,
                extensions_line(l)
            )?;
            for a in &l.attention {
                writeln!(f, "    needs attention: {}", attention_words(a))?;
            }
        }
        let shown = p.offset as u64 + p.rows.len() as u64;
        writeln!(f, "{}–{} of {} licenses", p.offset + 1, shown, p.total)?;
        match p.attention_total {
            0 => Ok(()),
            1 => writeln!(f, "1 license of the store needs attention"),
            n => writeln!(f, "{n} licenses of the store need attention"),
        }
    }
}

/// A main system or standby, indented under its heading.
#[derive(Debug)]
pub struct SystemLines<'a>(pub &'a SystemView);

impl fmt::Display for SystemLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        let label = v.label.as_deref().map(|l| format!(" ({l})"));
        writeln!(
            f,
            "  Hardware ID: {}{}",
            v.hardware_id,
            label.unwrap_or_default()
        )?;
        if let Some(m) = v.mode {
            writeln!(f, "  Mode:        {}", m.describe())?;
        }
        writeln!(f, "  State:       {}", v.status.describe())?;
        writeln!(f, "  Registered:  {}", v.registered_at)?;
        if let Some(a) = v.activated_at {
            writeln!(f, "  Activated:   {a}")?;
        }
        if !v.entitlements.is_empty() {
            writeln!(f, "  Entitlements:")?;
            for e in &v.entitlements {
                writeln!(f, "    {} {} ×{}", e.article, e.name, e.quantity)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for ShowOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        let l = &d.summary;
        writeln!(f, "{}{}", l.license, if l.demo { "  [DEMO]" } else { "" })?;
        writeln!(f, "Customer:  {}", l.customer)?;
        writeln!(
            f,
            "Variant:   OfficeMaster Suite, {} (revision {})",
            l.variant.describe(),
            l.revision
        )?;
        writeln!(f, "Vendor:    {} ({})", d.vendor, d.key_id)?;
        writeln!(f, "Issued:    {}", d.issued_at)?;
        writeln!(f, "Entitlements:")?;
        for e in &d.entitlements {
            writeln!(f, "  {} {} ×{}", e.article, e.name, e.quantity)?;
        }
        for fo in &l.failovers {
            writeln!(f, "  {} FailoverSuite {}", fo.article, fo.license)?;
        }
        writeln!(f, "Main system:")?;
        match &l.main_system {
            Some(m) => write!(f, "{}", SystemLines(m))?,
            None => writeln!(f, "  not activated")?,
        }
        for fo in &l.failovers {
            writeln!(f, "Standby of FailoverSuite {}:", fo.license)?;
            match &fo.standby {
                Some(v) => {
                    write!(f, "{}", SystemLines(v))?;
                    match v.notice_acknowledged_at {
                        Some(at) => writeln!(f, "  Notice:      acknowledged {at}")?,
                        None => writeln!(
                            f,
                            "  Notice:      not yet acknowledged (licdesk standby acknowledge --failover {})",
                            fo.license
                        )?,
                    }
                }
                None => writeln!(f, "  none registered")?,
            }
            five_days(f, fo)?;
        }
        for n in &d.notices {
            writeln!(f, "NOTICE: {n}")?;
        }
        Ok(())
    }
}

/// The five-day status of a FailoverSuite's standby (R12), as of its latest trusted journal.
fn five_days(f: &mut fmt::Formatter<'_>, fo: &FailoverView) -> fmt::Result {
    let Some(report) = &fo.usage else {
        return writeln!(f, "  Five-day rule: no usage journal imported yet");
    };
    let open: Vec<_> = report
        .tampered
        .iter()
        .filter(|t| t.dismissed.is_none())
        .collect();
    for t in &open {
        let short = &t.file_hash[..t.file_hash.len().min(12)];
        writeln!(
            f,
            "  Five-day rule: USAGE JOURNAL TAMPERED (SHA-256 {short}…, imported {}): {}",
            t.imported_at, t.tamper
        )?;
        writeln!(
            f,
            "  Once resolved: licdesk journal dismiss --journal {short} --reason TEXT"
        )?;
    }
    if !open.is_empty() && report.evaluation.is_some() {
        writeln!(f, "  The latest trusted journal:")?;
    }
    let Some(e) = &report.evaluation else {
        return Ok(());
    };
    let current = e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0) as f64 / 3600.0;
    let live = if fo.usage_live {
        " (this standby's own journal, live)"
    } else {
        ""
    };
    writeln!(
        f,
        "  Five-day rule: {current:.1} h under load in the current episode (limit {} h), as of {}{live}: {}",
        e.limits.max_load_hours,
        e.at,
        licdesk_desk::level_word(e.current_level(), &e.limits)
    )?;
    let acknowledged = report.violations_acknowledged.as_ref();
    for ep in e.episodes.iter().filter(|ep| ep.over_limit_seconds > 0) {
        write!(
            f,
            "  VIOLATION: the episode since {} ran {:.1} h under load, {:.1} h over the limit of {} h",
            ep.start,
            ep.load_seconds as f64 / 3600.0,
            ep.over_limit_seconds as f64 / 3600.0,
            e.limits.max_load_hours
        )?;
        match acknowledged.filter(|a| ep.start <= a.through) {
            Some(a) => writeln!(f, " (acknowledged {}: {})", a.at, a.reason)?,
            None if report.open_violations.iter().any(|o| o.start == ep.start) => writeln!(
                f,
                " (ended; once looked into: licdesk journal acknowledge --failover {} --reason TEXT)",
                fo.license
            )?,
            None => writeln!(f, " (still running)")?,
        }
    }
    // Ended ones recorded before the journal evaluated (the live journal's are recorded as it
    // is appended to): open until acknowledged.
    for ep in report
        .open_violations
        .iter()
        .filter(|o| !e.episodes.iter().any(|ep| ep.start == o.start))
    {
        writeln!(
            f,
            "  VIOLATION: the episode since {} ran {:.1} h under load, {:.1} h over the limit of {} h (ended; once looked into: licdesk journal acknowledge --failover {} --reason TEXT)",
            ep.start,
            ep.load_seconds as f64 / 3600.0,
            ep.over_limit_seconds as f64 / 3600.0,
            e.limits.max_load_hours,
            fo.license
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::standby::Registered;
    use super::*;
    use licdesk_core::{
        Entitlement, Extension, HardwareId, LicenseProduct, Role, Timestamp, Variant,
    };

    fn number(product: LicenseProduct, seed: u8) -> LicenseNumber {
        LicenseNumber::from_random(product, [seed; 5])
    }

    fn system(role: Role, license: &LicenseNumber, status: Status) -> SystemView {
        SystemView {
            role,
            license: license.clone(),
            hardware_id: HardwareId::from_digest(&[7; 32]),
            label: Some("host-1".into()),
            mode: None,
            status,
            registered_at: Timestamp::parse("2026-11-20T08:00:00Z").unwrap(),
            activated_at: None,
            entitlements: vec![],
            granted_variant: None,
            journal_verifiable: false,
            notice_acknowledged_at: None,
            activatable: true,
            limits: None,
            request_written_at: None,
        }
    }

    fn summary(main: Option<Status>, failover: Option<Option<Status>>) -> LicenseSummary {
        let license = number(LicenseProduct::Suite, 1);
        let failovers = failover
            .map(|standby| {
                let fo = number(LicenseProduct::FailoverSuite, 2);
                FailoverView {
                    standby: standby.map(|s| system(Role::Standby, &fo, s)),
                    license: fo,
                    article: "XFM.47000".into(),
                    demo: false,
                    usage: None,
                    usage_live: false,
                }
            })
            .into_iter()
            .collect();
        LicenseSummary {
            main_system: main.map(|s| system(Role::Main, &license, s)),
            license,
            customer: "Müller & Söhne GmbH".into(),
            variant: Variant::Users25,
            revision: 1,
            demo: false,
            extensions: vec![Extension {
                article: "XOM.11000".into(),
                name: "Fax Gateway".into(),
                quantity: 2,
            }],
            failovers,
            attention: vec![],
            changed_at: None,
        }
    }

    #[test]
    fn a_page_renders_one_line_per_license_and_a_count() {
        let base = number(LicenseProduct::Suite, 1);
        let fo = number(LicenseProduct::FailoverSuite, 2);
        let variant = Variant::Users25.describe();
        let cases = [
            (0, vec![], "No licenses match.\n".to_string()),
            (
                3,
                vec![],
                "No rows at offset 5 (3 licenses match).\n".to_string(),
            ),
            (
                1,
                vec![summary(None, None)],
                format!("{base}  Müller & Söhne GmbH  {variant}  [main not activated]  Fax Gateway ×2\n6–6 of 1 licenses\n"),
            ),
            (
                1,
                vec![summary(Some(Status::Active), Some(Some(Status::OutOfDate)))],
                format!("{base}  Müller & Söhne GmbH  {variant}  [main active]  Fax Gateway ×2, FailoverSuite {fo} (standby OUT OF DATE)\n6–6 of 1 licenses\n"),
            ),
            (
                1,
                vec![summary(Some(Status::Pending), Some(None))],
                format!("{base}  Müller & Söhne GmbH  {variant}  [main pending]  Fax Gateway ×2, FailoverSuite {fo} (no standby)\n6–6 of 1 licenses\n"),
            ),
        ];
        for (total, rows, text) in cases {
            let page = ListOutput(LicensePage {
                total,
                offset: 5,
                rows,
                attention_total: 0,
            });
            assert_eq!(page.to_string(), text);
        }
    }

    #[test]
    fn what_a_license_needs_follows_its_line_and_the_store_wide_count_the_page() {
        let base = number(LicenseProduct::Suite, 1);
        let fo = number(LicenseProduct::FailoverSuite, 2);
        let mut row = summary(None, Some(None));
        row.attention = vec![
            Attention::Violation {
                failover: fo.clone(),
            },
            Attention::WaitingForVendor {
                role: Role::Main,
                license: base.clone(),
                since: licdesk_core::Timestamp::from_unix(1_790_000_000),
            },
        ];
        let page = ListOutput(LicensePage {
            total: 1,
            offset: 0,
            rows: vec![row],
            attention_total: 3,
        });
        let text = page.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..],
            [
                format!("    needs attention: five-day violation, not acknowledged ({fo})").as_str(),
                format!("    needs attention: main system waiting for the vendor's response to the request of 2026-09-21T14:13:20Z ({base})").as_str(),
                "1–1 of 1 licenses",
                "3 licenses of the store need attention",
            ]
        );
    }

    #[test]
    fn the_json_of_list_keeps_its_field_names() {
        let page = ListOutput(LicensePage {
            total: 1,
            offset: 0,
            rows: vec![summary(Some(Status::Active), Some(Some(Status::Pending)))],
            attention_total: 0,
        });
        let json = serde_json::to_value(&page).unwrap();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(&json), ["attention_total", "offset", "rows", "total"]);
        let row = &json["rows"][0];
        assert_eq!(
            keys(row),
            [
                "attention",
                "changed_at",
                "customer",
                "demo",
                "extensions",
                "failovers",
                "license",
                "main_system",
                "revision",
                "variant"
            ]
        );
        assert_eq!(keys(&row["extensions"][0]), ["article", "name", "quantity"]);
        assert_eq!(
            keys(&row["failovers"][0]),
            [
                "article",
                "demo",
                "license",
                "standby",
                "usage",
                "usage_live"
            ]
        );
        assert_eq!(
            keys(&row["main_system"]),
            [
                "activatable",
                "activated_at",
                "entitlements",
                "granted_variant",
                "hardware_id",
                "journal_verifiable",
                "label",
                "license",
                "limits",
                "mode",
                "notice_acknowledged_at",
                "registered_at",
                "request_written_at",
                "role",
                "status"
            ]
        );
        assert_eq!(row["main_system"]["status"], "active");
        assert_eq!(row["failovers"][0]["standby"]["status"], "pending");
        assert_eq!(
            row["variant"],
            serde_json::to_value(Variant::Users25).unwrap()
        );
        // Pretty-printed as it always was: the fields in the order the desk declares them.
        let text = serde_json::to_string_pretty(&page).unwrap();
        assert!(
            text.starts_with("{\n  \"total\": 1,\n  \"offset\": 0,\n  \"rows\": ["),
            "{text}"
        );
    }

    #[test]
    fn a_registered_standby_shows_its_system_and_what_to_do_next() {
        let fo = number(LicenseProduct::FailoverSuite, 2);
        let mut v = system(Role::Standby, &fo, Status::Active);
        v.mode = Some(licdesk_core::StandbyMode::Test);
        v.activated_at = Some(Timestamp::parse("2026-11-21T09:00:00Z").unwrap());
        v.entitlements = vec![Entitlement {
            article: "XOM.10025".into(),
            name: "OfficeMaster Suite".into(),
            quantity: 1,
        }];
        let id = v.hardware_id.clone();
        let registered = Registered(v);
        assert_eq!(
            registered.to_string(),
            format!(
                "Standby registered for FailoverSuite {fo}:\n\
                 \x20 Hardware ID: {id} (host-1)\n\
                 \x20 Mode:        {}\n\
                 \x20 State:       active\n\
                 \x20 Registered:  2026-11-20T08:00:00Z\n\
                 \x20 Activated:   2026-11-21T09:00:00Z\n\
                 \x20 Entitlements:\n\
                 \x20   XOM.10025 OfficeMaster Suite ×1\n\
                 Next: licdesk request --license {fo} --role standby --out FILE\n",
                licdesk_core::StandbyMode::Test.describe()
            )
        );
    }
}
