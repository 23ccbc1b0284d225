//! End-to-end tests: the real app, driven through tauri-driver and WebKitWebDriver as a user would,
//! on stores built from real signed files. Screenshots go to target/e2e-artifacts/.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod accessibility;
mod activation;
mod add_failover;
mod attention;
mod bulk_import;
mod detail;
mod exports;
mod five_days;
mod import;
mod journals;
mod keyboard;
mod language;
mod layout;
mod licenses;
mod pages;
mod register;
mod sorting;
mod store_error;
mod support;
mod teams;
mod time_zone;
mod window_state;
