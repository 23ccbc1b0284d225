//! Machines: this one, a typed hardware ID, a hardware-ID file; this installation's key; the
//! outputs this desk protects.

use crate::ImportRefusal;
use crate::{files, installation, this_machine, Desk, DeskError, IfExists, Machine, MachineChoice};
use licdesk_core::{
    envelope::SignedBy, model::HardwareIdFile, seal, Envelope, FileKind, Hardware, HardwareId,
};
use std::path::{Path, PathBuf};

impl Desk {
    // -----------------------------------------------------------------------------------------
    // Machines, registration and requests

    /// Resolves a machine choice to a validated hardware description and, where known, the
    /// public key of the License Desk installation on it (which will sign its usage journal).
    pub fn resolve_machine(&self, choice: &MachineChoice) -> Result<Machine, DeskError> {
        match choice {
            MachineChoice::ThisMachine => Ok(Machine {
                hardware: this_machine()?,
                installation_key: Some(licdesk_core::InstallationKey::of(
                    &self.installation_key()?.verifying_key(),
                )),
            }),
            MachineChoice::Typed(text) => Ok(Machine {
                hardware: Hardware::from_code(HardwareId::parse(text)?),
                installation_key: None,
            }),
            MachineChoice::File(path) => read_hardware_file(path),
            MachineChoice::FileContent(bytes) => hardware_from_file_bytes(bytes),
        }
    }

    /// A file written for people at `out`: never over this desk's store (an SQLite file, nor
    /// its siblings) or its installation key, whatever name it is given; an existing file only
    /// when `if_exists` says to replace it.
    pub fn output(&self, out: &Path, if_exists: IfExists) -> licdesk_outfile::Output {
        let output = licdesk_outfile::Output::new(out, if_exists)
            .protect(self.home.installation_key(), "this desk's installation key");
        match self.location.file() {
            Some(store) => output.protect_database(store, "this desk's store"),
            None => output,
        }
    }

    pub(crate) fn installation_key(&self) -> Result<licdesk_core::SigningKey, DeskError> {
        installation::load_or_create(self.home.installation_key())
    }

    /// Writes this machine's hardware-ID file (for registering it as a standby elsewhere).
    pub fn write_hardware_file(
        &self,
        out: &Path,
        if_exists: IfExists,
    ) -> Result<Hardware, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let hardware = this_machine()?;
        let key = self.installation_key()?;
        let text = seal(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware: hardware.clone(),
                created_at: self.clock.now(),
            },
            &key,
        );
        output.write(text.as_bytes())?;
        Ok(hardware)
    }
}

/// Reads and checks a hardware-ID file made with `licdesk hwid --out`.
pub fn read_hardware_file(path: &Path) -> Result<Machine, DeskError> {
    hardware_from_file_bytes(&files::read_capped(path, FileKind::HardwareId.size_cap())?)
}

/// Checks the content of a hardware-ID file: kind, size, signature, and that its code belongs
/// to its components.
pub fn hardware_from_file_bytes(bytes: &[u8]) -> Result<Machine, DeskError> {
    let envelope = Envelope::parse(bytes)?.expect(FileKind::HardwareId)?;
    debug_assert_eq!(envelope.kind().signed_by(), SignedBy::SelfSigned);
    let verified = envelope.verify_self_signed()?;
    let file: HardwareIdFile = verified.payload()?;
    file.hardware
        .validate()
        .map_err(|problem| ImportRefusal::InvalidHardwareIdFile { problem })?;
    // The file is signed by the installation key of the desk that made it, on that machine.
    Ok(Machine {
        hardware: file.hardware,
        installation_key: Some(licdesk_core::InstallationKey::of(&verified.signer)),
    })
}

/// This desk's own installation: its public key (when it has one) and this machine. A standby's
/// activation may be asked for on another desk (a reseller's, from the standby's hardware-ID
/// file); the standby's own desk still takes the response, since it certifies this installation.
#[derive(Debug)]
pub(crate) struct OwnInstallation {
    pub(crate) key_path: PathBuf,
    /// The public key (when this desk has one) and this machine, read on first use.
    pub(crate) read: std::cell::OnceCell<(Option<String>, Option<Hardware>)>,
}

impl OwnInstallation {
    pub(crate) fn read(&self) -> &(Option<String>, Option<Hardware>) {
        self.read.get_or_init(|| {
            (
                installation::existing_public_key(&self.key_path),
                this_machine().ok(),
            )
        })
    }

    pub(crate) fn key(&self) -> Option<&String> {
        self.read().0.as_ref()
    }

    pub(crate) fn machine(&self) -> Option<&Hardware> {
        self.read().1.as_ref()
    }
}
