//! Builds the demo store that `make run` opens: several customers, every base variant, extensions,
//! FailoverSuites with an active standby, a pending registration, a test system (R8), a load-sharing
//! pair (R7) and a standby made out of date by an upgrade (R5). Everything goes through the real
//! paths: the vendor tool's library signs with the demo vendor key (kept only in tests/data), and the
//! desk imports the files, registers standbys from hardware-ID files and writes requests.
//!
//!     make-demo-store --store PATH [--bulk N]
//!
//! `--bulk N` adds N more base licenses of made-up customers (for trying the window with a big
//! store, and for the benchmarks).

use std::path::PathBuf;

use anyhow::{bail, Result};
use licdesk_core::{
    model::HardwareIdFile, seal, Component, ComponentKind, Extension, FileKind, Hardware,
    LicenseNumber, Role, SigningKey, StandbyMode, Timestamp, Variant,
};
use licdesk_desk::{Desk, IfExists, ImportStatus, MachineChoice};
use licdesk_issuer::VendorKey;
use licdesk_store::ledger::Ledger;

struct Builder {
    dir: tempfile::TempDir,
    desk: Desk,
    vendor: VendorKey,
    ledger: Ledger,
    machine_key: SigningKey,
    files: usize,
}

fn ext(article: &str, name: &str, quantity: u32) -> Extension {
    Extension {
        article: article.into(),
        name: name.into(),
        quantity,
    }
}

impl Builder {
    fn file(&mut self, name: &str, text: &str) -> Result<PathBuf> {
        self.files += 1;
        let path = self.dir.path().join(format!("{:03}-{name}", self.files));
        std::fs::write(&path, text)?;
        Ok(path)
    }

    fn import(&mut self, path: PathBuf) -> Result<()> {
        let outcome = self.desk.import_paths(&[path]).remove(0);
        if outcome.status == ImportStatus::Refused {
            bail!("demo import refused: {}", outcome.message);
        }
        Ok(())
    }

    fn base(
        &mut self,
        customer: &str,
        variant: Variant,
        extensions: Vec<Extension>,
    ) -> Result<LicenseNumber> {
        let (cert, text) =
            licdesk_issuer::issue_base(&self.vendor, customer, variant, extensions, None, 1)?;
        let path = self.file("base.lic", &text)?;
        self.import(path)?;
        Ok(cert.license)
    }

    fn failover(&mut self, base: &LicenseNumber) -> Result<LicenseNumber> {
        let (cert, text) = licdesk_issuer::issue_failover(&self.vendor, base)?;
        let path = self.file("failover.lic", &text)?;
        self.import(path)?;
        Ok(cert.license)
    }

    /// A hardware-ID file of a made-up machine, as `licdesk hwid --out` writes it there.
    fn machine(&mut self, host: &str) -> Result<MachineChoice> {
        let hardware = Hardware::from_components(
            vec![
                Component::from_raw(ComponentKind::MachineId, &format!("demo-machine-id-{host}")),
                Component::from_raw(ComponentKind::Cpu, "Intel Xeon Silver 4310 x12"),
                Component::from_raw(ComponentKind::Nic, &format!("demo-nic-{host}")),
            ],
            Some(host.to_string()),
        );
        let text = seal(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware,
                created_at: licdesk_desk::now(),
            },
            &self.machine_key,
        );
        Ok(MachineChoice::File(
            self.file(&format!("{host}.hwid"), &text)?,
        ))
    }

    fn activate(
        &mut self,
        license: &LicenseNumber,
        role: Role,
        machine: Option<&MachineChoice>,
    ) -> Result<()> {
        self.files += 1;
        let request = self
            .dir
            .path()
            .join(format!("{:03}-request.actreq", self.files));
        self.desk
            .write_request(license, role, machine, &request, IfExists::Refuse)?;
        let bytes = std::fs::read(&request)?;
        let done = licdesk_issuer::activate(&self.vendor, &mut self.ledger, &bytes)?;
        let path = self.file("response.actresp", &done.response)?;
        self.import(path)
    }

    fn main_system(&mut self, base: &LicenseNumber, host: &str) -> Result<()> {
        let machine = self.machine(host)?;
        self.activate(base, Role::Main, Some(&machine))
    }

    fn standby(
        &mut self,
        failover: &LicenseNumber,
        host: &str,
        mode: StandbyMode,
        activate: bool,
    ) -> Result<()> {
        let machine = self.machine(host)?;
        self.desk.register_standby(failover, &machine, mode)?;
        if activate {
            self.activate(failover, Role::Standby, None)?;
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (store, bulk) = match args.as_slice() {
        [_, flag, path] if flag == "--store" => (PathBuf::from(path), 0),
        [_, flag, path, b, n] if flag == "--store" && b == "--bulk" => {
            (PathBuf::from(path), n.parse::<usize>()?)
        }
        _ => bail!("usage: make-demo-store --store PATH [--bulk N]"),
    };
    if store.exists() {
        bail!(
            "{} already exists: the demo store is only made once (remove it to make it anew)",
            store.display()
        );
    }
    let dir = tempfile::tempdir()?;
    let vendor = licdesk_tests::demo_vendor(dir.path())?;
    let ledger = Ledger::open(&dir.path().join("demo-ledger.sqlite"))?;
    let mut b = Builder {
        desk: Desk::open(&store)?,
        vendor,
        ledger,
        machine_key: SigningKey::from_bytes(&[7; 32]),
        files: 0,
        dir,
    };

    // Scenario A (R6): one main system, one hot standby, all licenses mirrored (R5).
    let mueller = b.base(
        "Müller & Söhne GmbH",
        Variant::Users25,
        vec![
            ext("XOM.11000", "Fax Gateway", 2),
            ext("XOM.12000", "SMS Connector", 1),
        ],
    )?;
    b.main_system(&mueller, "mueller-main")?;
    let fo = b.failover(&mueller)?;
    b.standby(&fo, "mueller-standby", StandbyMode::Hot, true)?;

    // A FailoverSuite whose standby is registered but not yet activated.
    let stadtwerke = b.base(
        "Stadtwerke Nordhafen",
        Variant::Users250,
        vec![
            ext("XOM.13000", "Voice Mail", 250),
            ext("XOM.14000", "Unified Messaging", 1),
        ],
    )?;
    b.main_system(&stadtwerke, "swn-main")?;
    let fo = b.failover(&stadtwerke)?;
    b.standby(&fo, "swn-standby", StandbyMode::Cold, false)?;

    // Scenario C (R8): a permanent test and development system.
    let labs = b.base("Brightline Dev Labs", Variant::Users10, vec![])?;
    let fo = b.failover(&labs)?;
    b.standby(&fo, "labs-test", StandbyMode::Test, true)?;

    // Scenario B (R7): two fully licensed main systems sharing load, one standby each.
    for (n, host) in [(1, "lsa-main-1"), (2, "lsa-main-2")] {
        let base = b.base(
            "Lastverteilung Süd AG",
            Variant::Unlimited,
            vec![ext("XOM.15000", &format!("Cluster Node {n}"), 1)],
        )?;
        b.main_system(&base, host)?;
        let fo = b.failover(&base)?;
        b.standby(&fo, &format!("lsa-standby-{n}"), StandbyMode::Hot, true)?;
    }

    // R5: the main system's licenses changed after the standby was activated.
    let growing = b.base(
        "Nordlicht Logistik KG",
        Variant::Users25,
        vec![ext("XOM.11000", "Fax Gateway", 1)],
    )?;
    let fo = b.failover(&growing)?;
    b.standby(&fo, "nordlicht-standby", StandbyMode::Cold, true)?;
    let (_, upgraded) = licdesk_issuer::issue_base(
        &b.vendor,
        "Nordlicht Logistik KG",
        Variant::Users250,
        vec![
            ext("XOM.11000", "Fax Gateway", 1),
            ext("XOM.12000", "SMS Connector", 1),
        ],
        Some(growing.clone()),
        2,
    )?;
    let path = b.file("upgrade.lic", &upgraded)?;
    b.import(path)?;

    // Base licenses of every variant, without a FailoverSuite.
    let more: [(&str, Variant, Vec<Extension>); 8] = [
        (
            "Anwaltskanzlei Weber & Partner",
            Variant::Users10,
            vec![ext("XOM.11000", "Fax Gateway", 1)],
        ),
        (
            "Klinikum Am Stadtpark",
            Variant::Unlimited,
            vec![
                ext("XOM.13000", "Voice Mail", 800),
                ext("XOM.16000", "Fax Archive", 1),
            ],
        ),
        ("Hansen Maschinenbau GmbH", Variant::Users250, vec![]),
        ("Café Sonnenschein", Variant::Users10, vec![]),
        (
            "Orbis Insurance Ltd",
            Variant::Users250,
            vec![ext("XOM.12000", "SMS Connector", 3)],
        ),
        (
            "Gemeinde Talheim",
            Variant::Users25,
            vec![ext("XOM.11000", "Fax Gateway", 1)],
        ),
        ("Steuerbüro Krüger", Variant::Users10, vec![]),
        (
            "Polar Freight AS",
            Variant::Users25,
            vec![ext("XOM.14000", "Unified Messaging", 1)],
        ),
    ];
    for (customer, variant, extensions) in more {
        let base = b.base(customer, variant, extensions)?;
        b.main_system(&base, &format!("main-{}", base.as_str().to_lowercase()))?;
    }

    const TOWNS: [&str; 8] = [
        "Berlin", "Hamburg", "München", "Köln", "Leipzig", "Bremen", "Dresden", "Kiel",
    ];
    const KINDS: [&str; 6] = ["GmbH", "AG", "KG", "Stadtwerke", "Kanzlei", "Klinik"];
    for i in 0..bulk {
        let customer = format!(
            "{} {} {i:06}",
            KINDS[i % KINDS.len()],
            TOWNS[(i / 7) % TOWNS.len()]
        );
        let variant = Variant::ALL[i % 4];
        let extensions = if i % 3 == 0 {
            vec![ext("XOM.11000", "Fax Gateway", 1 + (i % 5) as u32)]
        } else {
            vec![]
        };
        let (_, text) =
            licdesk_issuer::issue_base(&b.vendor, &customer, variant, extensions, None, 1)?;
        let outcome = b.desk.import_bytes("bulk", text.as_bytes());
        if outcome.status == ImportStatus::Refused {
            bail!("bulk import refused: {}", outcome.message);
        }
    }

    let page = b.desk.list("", 0, 100)?;
    println!(
        "demo store {}: {} base licenses from the demo vendor (DEMO), made at {}",
        store.display(),
        page.total,
        Timestamp::from_unix(licdesk_desk::now().unix())
    );
    Ok(())
}
