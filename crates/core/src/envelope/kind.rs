//! The kinds of signed file: their armor labels, names, extensions, size caps and signers.

use super::MAX_FILE_BYTES;

/// Who signs a kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedBy {
    /// A trusted vendor key, looked up by key id.
    Vendor,
    /// The key named in the file's own `Signer-Key` header (a desk installation, or a vendor key
    /// proving possession of itself). This proves integrity, not authority.
    SelfSigned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    BaseCertificate,
    FailoverCertificate,
    HardwareId,
    ActivationRequest,
    ActivationResponse,
    VendorPublicKey,
    UsageJournal,
    ReleaseRequest,
    Release,
}

impl FileKind {
    pub const ALL: [FileKind; 9] = [
        FileKind::BaseCertificate,
        FileKind::FailoverCertificate,
        FileKind::HardwareId,
        FileKind::ActivationRequest,
        FileKind::ActivationResponse,
        FileKind::VendorPublicKey,
        FileKind::UsageJournal,
        FileKind::ReleaseRequest,
        FileKind::Release,
    ];

    /// The words in the armor lines.
    pub fn armor_label(self) -> &'static str {
        match self {
            FileKind::BaseCertificate => "BASE LICENSE CERTIFICATE",
            FileKind::FailoverCertificate => "FAILOVERSUITE LICENSE CERTIFICATE",
            FileKind::HardwareId => "HARDWARE ID",
            FileKind::ActivationRequest => "ACTIVATION REQUEST",
            FileKind::ActivationResponse => "ACTIVATION RESPONSE",
            FileKind::VendorPublicKey => "VENDOR PUBLIC KEY",
            FileKind::UsageJournal => "USAGE JOURNAL",
            FileKind::ReleaseRequest => "RELEASE REQUEST",
            FileKind::Release => "STANDBY RELEASE",
        }
    }

    /// The stable machine-readable name (signature domain, JSON output).
    pub fn tag(self) -> &'static str {
        match self {
            FileKind::BaseCertificate => "base-certificate",
            FileKind::FailoverCertificate => "failover-certificate",
            FileKind::HardwareId => "hardware-id",
            FileKind::ActivationRequest => "activation-request",
            FileKind::ActivationResponse => "activation-response",
            FileKind::VendorPublicKey => "vendor-public-key",
            FileKind::UsageJournal => "usage-journal",
            FileKind::ReleaseRequest => "release-request",
            FileKind::Release => "standby-release",
        }
    }

    /// What people call it.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::BaseCertificate => "base license certificate",
            FileKind::FailoverCertificate => "FailoverSuite license certificate",
            FileKind::HardwareId => "hardware-ID file",
            FileKind::ActivationRequest => "activation request",
            FileKind::ActivationResponse => "activation response",
            FileKind::VendorPublicKey => "vendor public key",
            FileKind::UsageJournal => "usage journal",
            FileKind::ReleaseRequest => "release request",
            FileKind::Release => "standby release",
        }
    }

    /// The conventional file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::BaseCertificate | FileKind::FailoverCertificate => "lic",
            FileKind::HardwareId => "hwid",
            FileKind::ActivationRequest => "actreq",
            FileKind::ActivationResponse => "actresp",
            FileKind::VendorPublicKey => "vpub",
            FileKind::UsageJournal => "journal",
            FileKind::ReleaseRequest => "relreq",
            FileKind::Release => "release",
        }
    }

    /// The largest file of this kind that is accepted.
    pub fn size_cap(self) -> u64 {
        match self {
            FileKind::BaseCertificate | FileKind::FailoverCertificate => 32 * 1024,
            FileKind::HardwareId => 16 * 1024,
            FileKind::ActivationRequest => 256 * 1024,
            FileKind::ActivationResponse => 64 * 1024,
            FileKind::VendorPublicKey => 4 * 1024,
            FileKind::UsageJournal => MAX_FILE_BYTES,
            FileKind::ReleaseRequest | FileKind::Release => 16 * 1024,
        }
    }

    pub fn signed_by(self) -> SignedBy {
        match self {
            FileKind::BaseCertificate
            | FileKind::FailoverCertificate
            | FileKind::ActivationResponse
            | FileKind::Release => SignedBy::Vendor,
            FileKind::HardwareId
            | FileKind::ActivationRequest
            | FileKind::VendorPublicKey
            | FileKind::UsageJournal
            | FileKind::ReleaseRequest => SignedBy::SelfSigned,
        }
    }

    /// The kind a file's first line names (only its first [`FileKind::HEAD_BYTES`] bytes are
    /// looked at), if it names one: for ordering and capping before the file is read whole.
    pub fn named_by(head: &[u8]) -> Option<FileKind> {
        let head = &head[..head.len().min(Self::HEAD_BYTES)];
        let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
        std::str::from_utf8(&head[..end])
            .ok()
            .map(|h| h.strip_suffix('\r').unwrap_or(h))
            .and_then(|h| h.strip_prefix("-----BEGIN LICDESK "))
            .and_then(|l| l.strip_suffix("-----"))
            .and_then(FileKind::from_label)
    }

    /// How many bytes of a file's start [`FileKind::named_by`] needs.
    pub const HEAD_BYTES: usize = 128;

    pub(super) fn from_label(label: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.armor_label() == label)
    }
}
