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

/// Filters people type: those of the bench's filtered page (`listing.rs`) but the empty one.
fn typed_filters() -> &'static [&'static str] {
    &crate::listing::FILTERS[1..]
}

/// Rounds over the filters: the first warms the caches and is not counted (5 × 6 pages count).
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

/// The mean of `samples` (the parts of a time add up in their means, not in their medians).
fn mean(samples: &[f64]) -> f64 {
    samples.iter().sum::<f64>() / samples.len().max(1) as f64
}

/// The page time in the window with `n` licenses (the app in `home`), its p95 and its parts.
/// Each page typed in the window is followed by the same request from the desk here, while the
/// window stays open (the same store, its cache as warm), so both see the same machine.
pub(crate) fn page_time(
    home: &AppHome,
    app_binary: &Path,
    n: usize,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let app = App::launch_binary(home, app_binary);
    let desk = Desk::open(&home.store)?;
    // Per page: the invoke's round trip, the rendering, the paint (in the page), the query and
    // the serialisation (here).
    let [mut round_trip, mut render, mut paint, mut query, mut serialise] =
        [(); 5].map(|_| Vec::new());
    for round in 0..ROUNDS {
        for filter in typed_filters() {
            let ([ipc, rendered, painted], shown) = page_in_window(&app, filter)?;
            let (q, s, held) = page_in_process(&desk, filter)?;
            if held != shown {
                bail!(
                    "the window showed {shown} rows for {filter:?}, the desk's page holds {held}"
                );
            }
            if round > 0 {
                round_trip.push(ipc);
                render.push(rendered);
                paint.push(painted);
                query.push(q);
                serialise.push(s);
            }
        }
    }
    drop(app);
    let total: Vec<f64> = (0..round_trip.len())
        .map(|i| round_trip[i] + render[i] + paint[i])
        .collect();
    let in_window = percentile(total.clone(), 0.95);
    let desk_p95 = percentile(query.clone(), 0.95);
    if verbose() {
        let ipc = mean(&round_trip) - mean(&query) - mean(&serialise);
        eprintln!(
            "bench:   page of {WINDOW_PAGE} in the window, {n} licenses, means: {:.1} ms = store's \
             query {:.1} + serialisation {:.2} + IPC and Tauri {ipc:.1} (the invoke's round trip \
             {:.1} less those) + rendering {:.1} + to the frame painted {:.1}; the page's clock \
             counts whole milliseconds",
            mean(&total),
            mean(&query),
            mean(&serialise),
            mean(&round_trip),
            mean(&render),
            mean(&paint),
        );
        eprintln!(
            "bench:   … p95 of each: query {desk_p95:.2}, serialisation {:.2}, round trip {:.0}, \
             rendering {:.0}, painted {:.0}, the whole page {in_window:.0}",
            percentile(serialise, 0.95),
            percentile(round_trip, 0.95),
            percentile(render, 0.95),
            percentile(paint, 0.95),
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
