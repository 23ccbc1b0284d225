//! A bulk import in the window against `licdesk import` of the same files, both release builds
//! in the same run. The window is driven as reseller staff use it: the folder's path typed into
//! the import's path field, submitted, and the summary awaited; the time runs in the page, from
//! the form's submit to the summary shown (the IPC, the desk's bulk import, its log, the
//! rendering of the results).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use licdesk_core::{seal, FileKind};
use licdesk_desk::Desk;
use licdesk_tests::app::{App, AppHome};

use crate::data::{cert, trust, vendor};
use crate::report::{ms, percentile, row, Row};

/// How many times each side imports the files (each time into a new store): the median counts.
const RUNS: usize = 3;

/// Marks the submit of the path form and the moment the summary shows, in the page's clock.
const TIMING: &str = "window.benchImport = {};
    document.addEventListener('submit', () => { window.benchImport.start = performance.now(); }, true);
    const summary = document.getElementById('import-summary');
    new MutationObserver(() => {
      if (summary.textContent && window.benchImport.start && !window.benchImport.end) {
        window.benchImport.end = performance.now();
      }
    }).observe(summary, {childList: true, characterData: true, subtree: true});
    return true;";

pub(crate) fn window_import(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let release = licdesk_tests::target_release();
    let (app_binary, cli) = (release.join("licdesk-app"), release.join("licdesk"));
    for binary in [&app_binary, &cli] {
        if !binary.exists() {
            bail!("{} is missing: make bench builds it", binary.display());
        }
    }
    let folder = dir.join("window-import-files");
    std::fs::create_dir_all(&folder)?;
    let key = vendor();
    let files: Vec<std::path::PathBuf> = (0..n)
        .map(|i| {
            let p = folder.join(format!("cert-{i:05}.lic"));
            std::fs::write(&p, seal(FileKind::BaseCertificate, &cert(i), &key)).map(|_| p)
        })
        .collect::<Result<_, _>>()?;

    let mut cli_ms = Vec::new();
    let mut window_ms = Vec::new();
    for run in 0..RUNS {
        // `licdesk import FILE...` of the same files, into a store that trusts the vendor.
        let store = dir.join(format!("cli-import-{run}.sqlite"));
        trust(&mut Desk::open(&store)?, dir)?;
        let start = Instant::now();
        let out = std::process::Command::new(&cli)
            .arg("--store")
            .arg(&store)
            .arg("import")
            .args(&files)
            .output()?;
        cli_ms.push(ms(start.elapsed()));
        if !out.status.success() {
            bail!(
                "licdesk import failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }

        // The window, on a store of its own that trusts the vendor.
        let home_dir = dir.join(format!("window-import-{run}"));
        std::fs::create_dir_all(&home_dir)?;
        let home = AppHome::in_dir(&home_dir);
        trust(&mut Desk::open(&home.store)?, dir)?;
        let app = App::launch_binary(&home, &app_binary);
        let s = app.s();
        s.execute(TIMING, vec![]).map_err(anyhow::Error::msg)?;
        s.click(&s.find("#import-path-toggle").map_err(anyhow::Error::msg)?)
            .map_err(anyhow::Error::msg)?;
        let field = s.find("#import-path").map_err(anyhow::Error::msg)?;
        s.type_text(&field, &folder.display().to_string())
            .map_err(anyhow::Error::msg)?;
        s.click(&s.find("#import-path-submit").map_err(anyhow::Error::msg)?)
            .map_err(anyhow::Error::msg)?;
        let took = s
            .wait_for("the import summary", Duration::from_secs(300), |s| {
                let t = s.execute(
                    "const b = window.benchImport; return b && b.end ? b.end - b.start : null;",
                    vec![],
                )?;
                Ok(t.as_f64())
            })
            .map_err(anyhow::Error::msg)?;
        let summary = s.text_of("#import-summary").map_err(anyhow::Error::msg)?;
        let all = format!("{} of {} files accepted", thousands(n), thousands(n));
        if !summary.contains(&all) {
            bail!("the window did not accept every file: {summary}");
        }
        let held = Desk::open(&home.store)?.list("", 0, 1)?.total;
        if held != n as u64 {
            bail!("the window's store holds {held} licenses, not {n}");
        }
        window_ms.push(took);
        drop(app);
    }
    let cli = percentile(cli_ms, 0.5);
    let window = percentile(window_ms, 0.5);
    rows.push(row(
        &format!("window import of {n} files (path field to summary), median of {RUNS}"),
        window,
        "ms",
        None,
        Some(cli),
        Some(1.5),
    ));
    eprintln!("bench: licdesk import of the same {n} files: {cli:.0} ms (the floor)");
    Ok(())
}

/// `n` as the English window writes it (10,000).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
