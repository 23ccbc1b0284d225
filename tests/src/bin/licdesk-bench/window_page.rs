//! A page of the licenses list in the real window while someone types a filter, and where its
//! time goes: the store's query and the serialisation of the page (timed here, in-process, with
//! the same request on the same store), the IPC (the rest of the invoke's round trip the page
//! measures), the rendering of the rows and the frame that paints them (measured in the page:
//! ui/js/list/list.js leaves them as the performance measures `licdesk:list-ipc`,
//! `licdesk:list-render` and `licdesk:list-paint`).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use licdesk_desk::{Desk, ListOrder, ListRequest};
use licdesk_tests::app::{App, AppHome};

use crate::report::*;

/// The rows of a page of the window's list (ui/js/state.js, `PAGE`).
const WINDOW_PAGE: u32 = 50;

/// Filters people type (those of the bench's filtered page, `listing.rs`).
const FILTERS: [&str; 6] = [
    "Kiel",
    "Stadtwerke Br",
    "München 00",
    "Klinik Dresden",
    "OMS-",
    "gmbh leip",
];

/// Rounds over the filters: the first warms the caches and is not counted.
const ROUNDS: usize = 6;

/// Puts `arguments[0]` in the filter as typing does (the input event the list listens to; after
/// its 120 ms pause the list asks for the page), the last page's measures cleared first.
const TYPE_FILTER: &str = "
    performance.clearMeasures();
    const f = document.getElementById('filter');
    f.value = arguments[0];
    f.dispatchEvent(new Event('input', { bubbles: true }));
    return true;";

/// The page's measures once it painted: [round trip, render, paint] in ms and the rows shown.
const READ_MEASURES: &str = "
    const d = (n) => (performance.getEntriesByName(n)[0] || {}).duration;
    const paint = d('licdesk:list-paint');
    if (paint === undefined) return null;
    return [d('licdesk:list-ipc'), d('licdesk:list-render'), paint,
            document.querySelectorAll('#rows tr[data-license]').length];";

/// One filter's page, timed in the window ([round trip, render, paint], ms).
fn page_in_window(app: &App, filter: &str) -> Result<([f64; 3], usize)> {
    let s = app.s();
    s.execute(TYPE_FILTER, vec![filter.into()])
        .map_err(anyhow::Error::msg)?;
    let [ipc, render, paint, shown] = s
        .wait_for("the filtered page to paint", Duration::from_secs(30), |s| {
            let v = s.execute(READ_MEASURES, vec![])?;
            Ok(serde_json::from_value::<[f64; 4]>(v).ok())
        })
        .map_err(anyhow::Error::msg)?;
    Ok(([ipc, render, paint], shown as usize))
}

/// The page of `filter` as the window's request asks it, from the desk in this process:
/// the query's time and the serialisation's (ms), and how many rows it holds.
fn page_in_process(desk: &Desk, filter: &str) -> Result<(f64, f64, usize)> {
    let start = Instant::now();
    let page = desk.list_page(&ListRequest {
        filter,
        needs_attention: false,
        order: ListOrder::Customer,
        descending: false,
        offset: 0,
        limit: WINDOW_PAGE,
    })?;
    let query = ms(start.elapsed());
    let start = Instant::now();
    let json = serde_json::to_string(&page)?;
    let serialise = ms(start.elapsed());
    std::hint::black_box(json);
    Ok((query, serialise, page.rows.len()))
}

/// The page time in the window with `n` licenses (the app in `home`), its p95 and its parts.
pub(crate) fn page_time(
    home: &AppHome,
    app_binary: &Path,
    n: usize,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let mut window: Vec<[f64; 3]> = Vec::new();
    let mut shown_per_filter = vec![0; FILTERS.len()];
    {
        let app = App::launch_binary(home, app_binary);
        for round in 0..ROUNDS {
            for (k, filter) in FILTERS.iter().enumerate() {
                let (times, shown) = page_in_window(&app, filter)?;
                shown_per_filter[k] = shown;
                if round > 0 {
                    window.push(times);
                }
            }
        }
    }
    // The same requests from the desk here, once the window is closed.
    let desk = Desk::open(&home.store)?;
    let mut query = Vec::new();
    let mut serialise = Vec::new();
    for round in 0..ROUNDS {
        for (k, filter) in FILTERS.iter().enumerate() {
            let (q, s, held) = page_in_process(&desk, filter)?;
            if held != shown_per_filter[k] {
                bail!(
                    "the window showed {} rows for {filter:?}, the desk's page holds {held}",
                    shown_per_filter[k]
                );
            }
            if round > 0 {
                query.push(q);
                serialise.push(s);
            }
        }
    }
    let part = |i: usize| window.iter().map(|t| t[i]).collect::<Vec<f64>>();
    let total: Vec<f64> = window.iter().map(|t| t.iter().sum()).collect();
    let in_window = percentile(total.clone(), 0.95);
    let desk_p95 = percentile(query.clone(), 0.95);
    if verbose() {
        let (q, s, ipc) = (
            percentile(query.clone(), 0.5),
            percentile(serialise.clone(), 0.5),
            percentile(part(0), 0.5),
        );
        let (render, paint) = (percentile(part(1), 0.5), percentile(part(2), 0.5));
        eprintln!(
            "bench:   page of {WINDOW_PAGE} in the window, {n} licenses, medians: {:.2} ms = \
             store's query {q:.2} + serialisation {s:.2} + IPC and Tauri {:.2} (the invoke's \
             round trip {ipc:.2} less those) + rendering {render:.2} + to the frame painted {paint:.2}",
            percentile(total, 0.5),
            (ipc - q - s).max(0.0),
        );
        eprintln!(
            "bench:   … p95 of each: query {desk_p95:.2}, serialisation {:.2}, round trip {:.2}, \
             rendering {:.2}, painted {:.2}",
            percentile(serialise, 0.95),
            percentile(part(0), 0.95),
            percentile(part(1), 0.95),
            percentile(part(2), 0.95),
        );
    }
    rows.push(
        row(
            &format!("page of {WINDOW_PAGE} in the window (typed filter, {n} licenses), p95"),
            in_window,
            "ms",
            None,
            Some(desk_p95),
            None,
        )
        .floor_is("the same page from Desk::list_page in-process"),
    );
    Ok(())
}
