//! `licdesk hwid [--out FILE]`: this machine's hardware ID, and its hardware-ID file.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_core::{Component, ComponentKind};
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
    pub components: Vec<ComponentOutput>,
    pub file: Option<String>,
}

/// One hashed component: its kind (the file's tag and in words for this system) and its hash.
#[derive(Debug, Serialize)]
pub struct ComponentOutput {
    pub kind: ComponentKind,
    pub name: &'static str,
    pub hash: String,
}

impl ComponentOutput {
    fn of(c: &Component, windows: bool) -> ComponentOutput {
        ComponentOutput {
            kind: c.kind,
            name: kind_in_words(c.kind, windows),
            hash: c.hash.clone(),
        }
    }
}

/// A component's kind as people call it on Windows or on Linux (the machine id is Windows'
/// machine GUID there, the product UUID the SMBIOS system UUID).
fn kind_in_words(kind: ComponentKind, windows: bool) -> &'static str {
    match (kind, windows) {
        (ComponentKind::MachineId, true) => "machine GUID",
        (ComponentKind::MachineId, false) => "machine id",
        (ComponentKind::ProductUuid, true) => "SMBIOS system UUID",
        (ComponentKind::ProductUuid, false) => "firmware product UUID",
        (ComponentKind::Cpu, _) => "CPU",
        (ComponentKind::Nic, _) => "network card",
        (ComponentKind::SystemVolume, _) => "system volume",
    }
}

/// How much of a component's hash the text shows: enough to tell two apart by eye.
const HASH_SHOWN: usize = 8;

impl fmt::Display for HwidOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Hardware ID: {}", self.hardware_id)?;
        if let Some(l) = &self.label {
            writeln!(f, "Host name:   {l}")?;
        }
        writeln!(
            f,
            "Components:  {} (hashed; no raw MAC address or serial number is shown or written)",
            self.components.len()
        )?;
        for c in &self.components {
            let hash = c.hash.get(..HASH_SHOWN).unwrap_or(&c.hash);
            writeln!(f, "  {:<22}{hash}…", c.name)?;
        }
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
        components: hardware
            .components
            .iter()
            .map(|c| ComponentOutput::of(c, cfg!(windows)))
            .collect(),
        file: args.out.as_deref().map(shown),
    });
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(windows: bool) -> Vec<ComponentOutput> {
        [
            (ComponentKind::MachineId, "m1"),
            (ComponentKind::Cpu, "xeon x4"),
            (ComponentKind::Nic, "52:54:00:00:00:01"),
        ]
        .iter()
        .map(|&(kind, raw)| ComponentOutput::of(&Component::from_raw(kind, raw), windows))
        .collect()
    }

    #[test]
    fn the_hardware_id_renders_with_what_is_known() {
        let hashes: Vec<String> = sample(false)
            .iter()
            .map(|c| c.hash[..8].to_string())
            .collect();
        let components = format!(
            "Components:  3 (hashed; no raw MAC address or serial number is shown or written)\n  machine id            {}…\n  CPU                   {}…\n  network card          {}…\n",
            hashes[0], hashes[1], hashes[2]
        );
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
                components: sample(false),
                file: file.map(String::from),
            };
            assert_eq!(output.to_string(), text);
        }
    }

    #[test]
    fn each_component_is_named_for_its_system_and_listed_in_json() {
        let all = [
            ComponentKind::MachineId,
            ComponentKind::ProductUuid,
            ComponentKind::Cpu,
            ComponentKind::Nic,
            ComponentKind::SystemVolume,
        ];
        let windows: Vec<_> = all.iter().map(|&k| kind_in_words(k, true)).collect();
        assert_eq!(
            windows,
            [
                "machine GUID",
                "SMBIOS system UUID",
                "CPU",
                "network card",
                "system volume"
            ]
        );
        let linux: Vec<_> = all.iter().map(|&k| kind_in_words(k, false)).collect();
        assert_eq!(
            linux,
            [
                "machine id",
                "firmware product UUID",
                "CPU",
                "network card",
                "system volume"
            ]
        );
        let output = HwidOutput {
            hardware_id: "ABCD-EFGH-JKMN-PQ12".into(),
            label: None,
            components: sample(true),
            file: None,
        };
        let json = serde_json::to_value(&output).unwrap();
        assert_eq!(json["hardware_id"], "ABCD-EFGH-JKMN-PQ12");
        assert_eq!(json["components"][0]["kind"], "machine-id");
        assert_eq!(json["components"][0]["name"], "machine GUID");
        assert_eq!(
            json["components"][0]["hash"],
            Component::from_raw(ComponentKind::MachineId, "m1").hash
        );
        assert_eq!(json["components"].as_array().map(Vec::len), Some(3));
        assert!(output.to_string().contains("  machine GUID          "));
    }
}
