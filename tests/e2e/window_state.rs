//! Habits kept: the window opens again at the size and place it was closed at (the window-state
//! plugin keeps them in the app's configuration folder), and never smaller than it can show.

use std::time::{Duration, Instant};

use licdesk_tests::app::{App, AppHome};

use crate::support::*;

/// Where the window-state plugin keeps the windows' sizes and places (the app's configuration
/// folder, under XDG_CONFIG_HOME, which each test's home has its own of).
fn saved_state(home: &AppHome) -> std::path::PathBuf {
    home.home
        .join("config/de.officemaster.licensedesk/.window-state.json")
}

#[test]
fn the_window_opens_again_at_the_size_and_place_it_was_closed_at() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let app = App::launch(&home);
    let before = app.s().window_rect().unwrap();
    assert_eq!((before.2, before.3), (1180, 760), "the first start's size");
    app.s().set_window_size(1024, 700).unwrap();
    app.s().set_window_position(40, 30).unwrap();
    app.s()
        .wait_for("the new size and place", WAIT, |s| {
            let r = s.window_rect()?;
            Ok((r == (40, 30, 1024, 700)).then_some(()))
        })
        .unwrap();
    // Kept on disk once the window has stayed still a moment — not only when the app ends
    // normally: the window is then closed through the driver, which ends the app at once.
    let start = Instant::now();
    let saved = loop {
        let saved: Option<serde_json::Value> = std::fs::read_to_string(saved_state(&home))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        if let Some(s) = saved.filter(|s| s["main"]["width"] == 1024 && s["main"]["x"] == 40) {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the window's size and place were not kept in {}",
            saved_state(&home).display()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        (&saved["main"]["height"], &saved["main"]["y"]),
        (&serde_json::json!(700), &serde_json::json!(30)),
        "{saved}"
    );
    app.s().close_window().unwrap();
    drop(app);

    let again = App::launch(&home);
    assert_eq!(again.s().window_rect().unwrap(), (40, 30, 1024, 700));
    // It cannot be made smaller than it can show: the window tells the display its minimum.
    let hints = again.window_property("WM_NORMAL_HINTS");
    assert!(
        hints.contains("program specified minimum size: 800 by 600"),
        "{hints}"
    );
}
