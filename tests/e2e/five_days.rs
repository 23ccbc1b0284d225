//! The five-day view of a standby (R12): a violation with its start and time over, warnings from
//! the current load phase, the limits of the signed activation in the notice (R11), acknowledgements.

use licdesk_core::Variant;
use licdesk_desk::Desk;
use licdesk_tests::app::{App, AppHome};

use crate::support::*;

#[test]
fn a_five_day_violation_shows_its_start_and_time_over_and_the_notice_can_be_acknowledged_r11_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let (base, fo, journal) =
        standby_with_journal(dir.path(), &home, &[("load", 150), ("idle", 28)]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let panel = import_through_picker(&app, &[&journal]);
    assert!(
        panel.contains("usage journal of") && panel.contains("evaluated"),
        "{panel}"
    );
    let block = format!("section[data-failover='{fo}'] .five-days");
    let five = wait_text(&app, &block, "Violation");
    assert!(
        five.contains("Violation: the load phase since")
            && five.contains("122 h under load")
            && five.contains("2 h over the limit"),
        "{five}"
    );
    // The episode ended with the idle gap of 28 h: no episode runs as of the journal's export,
    // so the level is the current load phase's (none: fine), and the violation stays beside it.
    assert!(
        five.contains("0 h under load in the current load phase")
            && five.contains("within the rules"),
        "{five}"
    );
    assert!(five.contains("As of the journal exported on"), "{five}");
    // The screenshot shows the violation: scrolled into view, inside the window.
    scroll_into_view(&app, &block);
    app.shot("five-day-violation");
    // Monitoring reports the past violation until it is acknowledged.
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(
        line.starts_with("LICDESK CRITICAL") && line.contains("over the five-day limit"),
        "{line}"
    );
    // Acknowledged through the dialog, with a reason (required).
    click(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']"),
    );
    wait_text(
        &app,
        "#reason-heading",
        "Acknowledge the violation of FailoverSuite",
    );
    app.shot("five-day-acknowledge-dialog");
    give_reason(
        &app,
        "Main system was down for repairs; agreed with the vendor",
    );
    let five = wait_text(&app, &block, "Acknowledged violation: the load phase since");
    assert!(
        five.contains("2 h over the limit")
            && five.contains("Violations acknowledged on")
            && five.contains("Main system was down for repairs; agreed with the vendor"),
        "{five}"
    );
    assert!(!five.contains("Violation: the load phase since"), "{five}");
    assert!(hidden(&app, &format!("{block} .notice.violation")));
    assert!(hidden(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']")
    ));
    wait_text(&app, "#status-text", "is acknowledged");
    // The acknowledge button is gone: the focus goes to the next step (registering a standby).
    wait_focus(&app, &format!("register-standby:{fo}"));
    scroll_into_view(&app, &block);
    app.shot("five-day-violation-acknowledged");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 0, "{line}");
    assert!(line.starts_with("LICDESK OK"), "{line}");
    let audit = Desk::open(&home.store).unwrap().audit_log().unwrap();
    assert!(audit.iter().any(|e| e.action == "violation-acknowledged"
        && e.subject == fo.as_str()
        && e.detail.contains("Main system was down for repairs")));
    // The reseller's desk holds no standby of its own here; the notice is acknowledged where the
    // standby is registered — so register one in this store and acknowledge it.
    register_typed(
        &app,
        fo.as_str(),
        &typed_hwid("five day standby"),
        "hot",
        None,
    );
    wait_text(&app, "#detail", &typed_hwid("five day standby"));
    click(&app, &format!(".acknowledge[data-failover='{fo}']"));
    wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "Notice acknowledged on",
    );
    // The button is gone with the acknowledgement: the focus goes to the next step's button
    // (for a typed standby, registering it again), not to nothing.
    wait_focus(&app, &format!("register-standby:{fo}"));
    let audit = Desk::open(&home.store).unwrap().audit_log().unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "notice-acknowledged" && e.subject == fo.as_str()));
}

#[test]
fn a_warning_comes_from_the_current_episode_not_from_a_finished_one_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A finished episode of 100 h (a final warning), an idle gap of 40 h, then the current
    // episode: under load for 80 h as of the export (a warning).
    let (base, fo, journal) = standby_with_journal(
        dir.path(),
        &home,
        &[("load", 220), ("idle", 120), ("load", 80)],
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let panel = import_through_picker(&app, &[&journal]);
    assert!(panel.contains("evaluated"), "{panel}");
    let block = format!("section[data-failover='{fo}'] .five-days");
    let five = wait_text(&app, &block, "warning: over 72 h");
    assert!(
        five.contains("80 h under load in the current load phase"),
        "{five}"
    );
    // Not the finished phase's final warning (the chart's legend names that line, as a line).
    assert!(!five.contains("final warning: over"), "{five}");
    assert!(!five.contains("Violation"), "{five}");
    assert!(hidden(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']")
    ));
    let badge = app.s().text_of(&format!("{block} .status")).unwrap();
    assert_eq!(badge, "warning: over 72 h");
    scroll_into_view(&app, &block);
    app.shot("five-day-current-warning");
    click(&app, "#lang-de");
    let five = wait_text(&app, &block, "Warnung: über 72 h");
    assert!(!five.contains("letzte Warnung: über"), "{five}");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 1, "{line}");
    assert!(!line.contains("final warning"), "{line}");
}

#[test]
fn the_standby_notice_names_the_limits_its_signed_activation_carries_r11_r12() {
    let OneFailover { dir, base, fo, app } = one_failover("Grenzwerte GmbH", Variant::Users25);
    open_detail(&app, base.as_str());
    let hwid = register_this_machine(&app, fo.as_str(), "hot");
    let notice_css = format!("section[data-failover='{fo}'] .standby-notice");
    wait_text(&app, "#detail", &hwid);
    // Not activated yet: the data sheet's five days.
    let notice = app.s().text_of(&notice_css).unwrap();
    assert!(notice.contains("at most five consecutive days"), "{notice}");
    let request = dir.path().join("limits.actreq");
    export_request(&app, fo.as_str(), &request, None);
    let (ok, err, response) = vendor_activates_with(
        dir.path(),
        &request,
        &[
            "--limit-hours",
            "48",
            "--gap-hours",
            "12",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    assert!(ok, "{err}");
    import_through_picker(&app, &[&response]);
    let notice = wait_text(&app, &notice_css, "48 hours");
    assert_eq!(
        notice,
        "This FailoverSuite is licensed for standby or test operation only. Any other use breaks the license. It may run under load for at most 48 hours at a stretch (an idle gap of 12 hours ends a stretch); idle time does not count."
    );
    // The release dialog says the same.
    click(&app, &format!(".release-standby[data-failover='{fo}']"));
    let dialog_notice = wait_text(&app, "#export-notice", "48 hours");
    assert_eq!(dialog_notice, notice);
    app.shot("standby-limits-release-dialog");
    click(&app, "#lang-de");
    wait_text(
        &app,
        "#export-notice",
        "höchstens 48 Stunden ohne Unterbrechung unter Last laufen (eine Leerlaufpause von 12 Stunden beendet eine Lastphase)",
    );
    click(&app, "#export-cancel");
    let notice = wait_text(&app, &notice_css, "48 Stunden");
    assert!(!notice.contains("fünf Tage"), "{notice}");
}

#[test]
fn a_violation_still_running_cannot_be_acknowledged_and_the_refusal_is_said_from_its_values_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A finished episode of 130 h (a past violation), an idle gap of 45 h, then the current
    // episode: under load for 125 h as of the export (a violation still running).
    let (base, fo, journal) = standby_with_journal(
        dir.path(),
        &home,
        &[("load", 300), ("idle", 170), ("load", 125)],
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    import_through_picker(&app, &[&journal]);
    let block = format!("section[data-failover='{fo}'] .five-days");
    let five = wait_text(
        &app,
        &block,
        "Violation still running: the load phase since",
    );
    assert!(
        five.contains("125 h under load so far, 5 h over the limit")
            && five.contains("It can be acknowledged once it has ended"),
        "{five}"
    );
    assert!(
        five.contains("Violation: the load phase since")
            && five.contains("130 h under load, 10 h over the limit"),
        "{five}"
    );
    let badge = app.s().text_of(&format!("{block} .status")).unwrap();
    assert_eq!(badge, "violation: over 120 h");
    scroll_into_view(&app, &block);
    app.shot("five-day-violation-running");
    // Meanwhile the past violation is acknowledged on the command line: the window's view is
    // stale, and only the running violation is left, which the desk refuses to acknowledge.
    cli(
        &home.store,
        &[
            "journal",
            "acknowledge",
            "--failover",
            fo.as_str(),
            "--reason",
            "acknowledged by the night shift",
        ],
    );
    click(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']"),
    );
    wait_focus(&app, "reason-input");
    let input = app.s().find("#reason-input").unwrap();
    app.s().type_text(&input, "looked into it").unwrap();
    click(&app, "#reason-submit");
    let error = wait_text(
        &app,
        "#reason-error",
        &format!("The violation of FailoverSuite {fo} is still running"),
    );
    assert!(
        error.contains("once it has ended — after an idle gap of 24 h"),
        "{error}"
    );
    assert!(
        !hidden(&app, "#reason-dialog"),
        "the refusal closed the dialog"
    );
    app.shot("five-day-acknowledge-refused");
    // In German the refusal is German, with its values, and nothing of it left in English.
    click(&app, "#lang-de");
    let error = wait_text(
        &app,
        "#reason-error",
        &format!("Der Verstoß der FailoverSuite {fo} dauert noch an"),
    );
    assert!(
        error.contains("nach einer Leerlaufpause von 24 h")
            && !error.contains("Technische Details"),
        "{error}"
    );
    click(&app, "#reason-cancel");
    click(&app, "#lang-en");
    // Seen again, the past violation shows as acknowledged, and acknowledging the running one is
    // offered no more: disabled, with why beside it — it is not refused after the click.
    open_detail(&app, base.as_str());
    let five = wait_text(&app, &block, "Acknowledged violation: the load phase since");
    assert!(five.contains("acknowledged by the night shift"), "{five}");
    assert!(five.contains("Violation still running"), "{five}");
    let acknowledge = format!(".acknowledge-violations[data-failover='{fo}']");
    assert!(disabled(&app, &acknowledge));
    let reason = app
        .s()
        .text_of(&format!("#why-acknowledge_violations-{fo}"))
        .unwrap();
    assert!(
        reason.starts_with("The load phase since ")
            && reason.ends_with(
                " is still running: the violation can be acknowledged once the phase has ended (after an idle gap) and the journal shows that."
            ),
        "{reason}"
    );
    scroll_into_view(&app, &format!("#why-acknowledge_violations-{fo}"));
    app.shot("five-day-acknowledge-disabled");
    click(&app, "#lang-de");
    let reason = wait_text(
        &app,
        &format!("#why-acknowledge_violations-{fo}"),
        "dauert noch an",
    );
    assert!(reason.starts_with("Die Lastphase seit "), "{reason}");
    click(&app, "#lang-en");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(!line.contains("a load phase that has ended"), "{line}");
}

#[test]
fn the_five_day_view_draws_the_recent_load_phases_against_the_limits_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A phase of 100 h that ended (a final warning then), an idle gap of 40 h, and the current
    // phase: 80 h under load as of the export (a warning).
    let (base, fo, journal) = standby_with_journal(
        dir.path(),
        &home,
        &[("load", 220), ("idle", 120), ("load", 80)],
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    import_through_picker(&app, &[&journal]);
    let chart = format!("section[data-failover='{fo}'] svg.chart");
    wait_text(
        &app,
        &format!("section[data-failover='{fo}'] .chart-summary"),
        "load phases",
    );
    // Two phases, the current one marked running, each with its level; the three lines of the
    // signed limits; the idle gap that ended the first phase.
    let drawn = app
        .s()
        .execute(
            "const svg = document.querySelector(arguments[0]);
             const dash = (g) => getComputedStyle(g.querySelector('line')).strokeDasharray;
             return {
               phases: Array.from(svg.querySelectorAll('.phase'), (p) => p.getAttribute('class')),
               thresholds: Array.from(svg.querySelectorAll('.threshold'), (t) => [t.dataset.hours, dash(t), t.textContent.trim()]),
               gaps: svg.querySelectorAll('.idle-gap').length,
               role: svg.getAttribute('role'),
               name: document.getElementById(svg.getAttribute('aria-labelledby')).textContent,
             };",
            vec![serde_json::json!(chart)],
        )
        .unwrap();
    assert_eq!(
        drawn["phases"],
        serde_json::json!(["phase level-final_warning", "phase level-warning running"]),
        "{drawn}"
    );
    let thresholds = drawn["thresholds"].as_array().unwrap();
    let hours: Vec<&str> = thresholds.iter().map(|t| t[0].as_str().unwrap()).collect();
    assert_eq!(hours, ["72", "96", "120"], "{drawn}");
    let labels: Vec<&str> = thresholds.iter().map(|t| t[2].as_str().unwrap()).collect();
    assert_eq!(labels, ["72 h", "96 h", "120 h"], "{drawn}");
    // Told apart without colour (in print too): each line has a dash of its own.
    let dashes: std::collections::BTreeSet<&str> =
        thresholds.iter().map(|t| t[1].as_str().unwrap()).collect();
    assert_eq!(dashes.len(), 3, "{drawn}");
    assert_eq!(drawn["gaps"], 1, "{drawn}");
    // Its text alternative says what it shows.
    assert_eq!(drawn["role"], "img");
    let name = drawn["name"].as_str().unwrap();
    assert!(
        name.starts_with("2 load phases from ")
            && name.contains("The current one began on ")
            && name.ends_with(": 80 h under load so far (warning above 72 h, final warning above 96 h, limit 120 h)."),
        "{name}"
    );
    scroll_into_view(&app, &format!("section[data-failover='{fo}'] .five-chart"));
    app.shot("five-day-chart");
    click(&app, "#lang-de");
    let name = wait_text(
        &app,
        &format!("section[data-failover='{fo}'] .chart-summary"),
        "2 Lastphasen von ",
    );
    assert!(
        name.ends_with(
            ": bisher 80 h unter Last (Warnung über 72 h, letzte Warnung über 96 h, Grenze 120 h)."
        ),
        "{name}"
    );
    scroll_into_view(&app, &format!("section[data-failover='{fo}'] .five-chart"));
    app.shot("five-day-chart-de");
}
