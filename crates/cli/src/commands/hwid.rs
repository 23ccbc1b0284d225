//! `licdesk hwid [--out FILE]`: this machine's hardware ID, and its hardware-ID file.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_desk::IfExists;
use serde::Serialize;

use super::{shown, Context, Result};

#[derive(clap::Args, Debug)]
pub struct HwidArgs {
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE when it exists (never the store or the installation key).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Serialize)]
pub struct HwidOutput {
    pub hardware_id: String,
    pub label: Option<String>,
    pub components: usize,
    pub file: Option<String>,
}

impl fmt::Display for HwidOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Hardware ID: {}", self.hardware_id)?;
        if let Some(l) = &self.label {
            writeln!(f, "Host name:   {l}")?;
        }
        writeln!(
            f,
            "Components:  {} (hashed; no raw MAC address or serial number is shown or written)",
            self.components
        )?;
        if let Some(file) = &self.file {
            writeln!(f, "Written to:  {file}")?;
        }
        Ok(())
    }
}

pub fn run(args: HwidArgs, ctx: &Context) -> Result {
    let hardware = match &args.out {
        Some(path) => ctx
            .open()?
            .write_hardware_file(path, IfExists::replace_when(args.force))?,
        None => licdesk_desk::this_machine()?,
    };
    ctx.emit(&HwidOutput {
        hardware_id: hardware.id.to_string(),
        label: hardware.label.clone(),
        components: hardware.components.len(),
        file: args.out.as_deref().map(shown),
    });
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hardware_id_renders_with_what_is_known() {
        let components =
            "Components:  3 (hashed; no raw MAC address or serial number is shown or written)\n";
        let cases = [
            (None, None, format!("Hardware ID: ABCD-EFGH-JKMN-PQ12\n{components}")),
            (
                Some("standby-1"),
                Some("/tmp/standby.hwid"),
                format!(
                    "Hardware ID: ABCD-EFGH-JKMN-PQ12\nHost name:   standby-1\n{components}Written to:  /tmp/standby.hwid\n"
                ),
            ),
        ];
        for (label, file, text) in cases {
            let output = HwidOutput {
                hardware_id: "ABCD-EFGH-JKMN-PQ12".into(),
                label: label.map(String::from),
                components: 3,
                file: file.map(String::from),
            };
            assert_eq!(output.to_string(), text);
        }
    }
}
