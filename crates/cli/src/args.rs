//! Typed command-line values: licenses, times, roles, standby modes and journal states are
//! parsed while the command line is read, by the core's own parsers. A value the core refuses is
//! a desk input error (`invalid_input`, its sentence, exit 1, the JSON object with `--json`),
//! as it was when the commands parsed it themselves: `main` takes it out of clap's error.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, ValueEnum};
use licdesk_core::usage::UsageState;
use licdesk_core::{LicenseNumber, Role, StandbyMode, Timestamp, ValueError};
use licdesk_desk::{DeskError, MachineChoice};

/// A license number (`OMS-…`, `XFM-…`), checked by its check characters.
pub fn license(text: &str) -> Result<LicenseNumber, DeskError> {
    Ok(LicenseNumber::parse(text)?)
}

/// An RFC 3339 time such as 2026-11-24T09:30:00Z.
pub fn time(text: &str) -> Result<Timestamp, DeskError> {
    Ok(Timestamp::parse(text)?)
}

/// The column `licdesk list` sorts by: customer, license, users, status, changed.
pub fn list_order(text: &str) -> Result<licdesk_desk::ListOrder, DeskError> {
    use licdesk_desk::ListOrder;
    ListOrder::parse(text.trim()).ok_or_else(|| {
        DeskError::invalid(format!(
            "the list cannot be sorted by {text:?}: it sorts by {}",
            ListOrder::ALL.map(ListOrder::code).join(", ")
        ))
    })
}

/// The desk error a command-line value was refused with, if clap's error is one.
pub fn refused_value(e: &clap::Error) -> Option<&DeskError> {
    std::error::Error::source(e)?.downcast_ref::<DeskError>()
}

/// A [`ValueEnum`] read by the core's parser of the type it stands for (so the same spellings
/// are accepted, and a refusal says the core's sentence), listing its values in `--help`.
#[derive(Clone, Debug)]
pub struct CoreEnum<E>(fn(&str) -> Result<E, ValueError>);

impl<E: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for CoreEnum<E> {
    type Value = E;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<E, clap::Error> {
        let parse = self.0;
        let refused = move |text: &str| parse(text).map_err(DeskError::from);
        refused.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            E::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// `--role main|standby`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Main,
    Standby,
}

impl RoleArg {
    pub fn parser() -> CoreEnum<RoleArg> {
        CoreEnum(|text| {
            Role::parse(text).map(|r| match r {
                Role::Main => RoleArg::Main,
                Role::Standby => RoleArg::Standby,
            })
        })
    }
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Main => Role::Main,
            RoleArg::Standby => Role::Standby,
        }
    }
}

/// `--mode cold|hot|test`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Cold,
    Hot,
    Test,
}

impl ModeArg {
    pub fn parser() -> CoreEnum<ModeArg> {
        CoreEnum(|text| {
            StandbyMode::parse(text).map(|m| match m {
                StandbyMode::Cold => ModeArg::Cold,
                StandbyMode::Hot => ModeArg::Hot,
                StandbyMode::Test => ModeArg::Test,
            })
        })
    }
}

impl From<ModeArg> for StandbyMode {
    fn from(m: ModeArg) -> StandbyMode {
        match m {
            ModeArg::Cold => StandbyMode::Cold,
            ModeArg::Hot => StandbyMode::Hot,
            ModeArg::Test => StandbyMode::Test,
        }
    }
}

/// `--state load|idle`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    Load,
    Idle,
}

impl StateArg {
    pub fn parser() -> CoreEnum<StateArg> {
        CoreEnum(|text| {
            UsageState::parse(text).map(|s| match s {
                UsageState::Load => StateArg::Load,
                UsageState::Idle => StateArg::Idle,
            })
        })
    }
}

impl From<StateArg> for UsageState {
    fn from(s: StateArg) -> UsageState {
        match s {
            StateArg::Load => UsageState::Load,
            StateArg::Idle => UsageState::Idle,
        }
    }
}

/// Which machine: `--hwid ID`, `--hwid-file FILE` or `--this-machine` (at most one).
#[derive(Args, Debug)]
#[group(multiple = false)]
pub struct MachineArgs {
    /// A hardware ID typed in (checked by its check characters).
    #[arg(long, value_name = "ID")]
    hwid: Option<String>,
    /// A hardware-ID file made with `licdesk hwid --out` on that machine.
    #[arg(long, value_name = "FILE")]
    hwid_file: Option<PathBuf>,
    /// This machine.
    #[arg(long)]
    this_machine: bool,
}

impl MachineArgs {
    pub fn choice(self) -> Option<MachineChoice> {
        if let Some(id) = self.hwid {
            Some(MachineChoice::Typed(id))
        } else if let Some(f) = self.hwid_file {
            Some(MachineChoice::File(f))
        } else if self.this_machine {
            Some(MachineChoice::ThisMachine)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Probe {
        #[arg(long, value_parser = RoleArg::parser())]
        role: Option<RoleArg>,
        #[arg(long, value_parser = ModeArg::parser())]
        mode: Option<ModeArg>,
        #[arg(long, value_parser = StateArg::parser())]
        state: Option<StateArg>,
        #[arg(long, value_parser = license)]
        license: Option<LicenseNumber>,
    }

    fn refusal(args: &[&str]) -> DeskError {
        let e = Probe::try_parse_from([&["probe"], args].concat()).unwrap_err();
        refused_value(&e).cloned().expect("a desk error")
    }

    #[test]
    fn enums_read_what_the_core_reads_and_refuse_with_its_sentence() {
        let p = Probe::try_parse_from(["probe", "--role", " Standby ", "--mode", "HOT"]).unwrap();
        assert_eq!(p.role, Some(RoleArg::Standby));
        assert_eq!(p.mode, Some(ModeArg::Hot));
        let e = refusal(&["--state", "sleeping"]);
        assert_eq!(e.code, licdesk_desk::ErrorCode::InvalidInput);
        assert_eq!(e.message, "'sleeping' is not a state: use load or idle");
        assert!(refusal(&["--role", "x"])
            .message
            .contains("use main or standby"));
        assert!(refusal(&["--mode", "x"])
            .message
            .contains("use cold, hot or test"));
    }

    #[test]
    fn a_mistyped_license_is_the_desk_error_with_what_is_wrong() {
        let e = refusal(&["--license", "OMS-XXXX"]);
        assert_eq!(
            e,
            DeskError::from(LicenseNumber::parse("OMS-XXXX").unwrap_err())
        );
        assert!(e.message.contains("license number"), "{}", e.message);
    }
}
