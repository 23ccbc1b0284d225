//! [`Queries`]: every read of the store's tables, for [`Store`](crate::Store) and
//! [`Tx`](crate::Tx) alike. One trait, so that `use licdesk_store::Queries` brings every read
//! into scope; each method hands over to the table's module, where its SQL lives.

use licdesk_core::usage::JournalEntry;
use licdesk_core::{HardwareId, LicenseNumber, Role, Timestamp};

use super::{
    audit, bases, dump, exchange, failovers, imported_files, journal, listing, meta, page,
    requests, search, systems, tampered, trusted_keys, usage_reports, AuditEntry, Decision,
    JournalOverdue, ListQuery, ListedBase, SignedFile, StoredBase, StoredFailover, StoredKey,
    StoredRequest, StoredSystem, TamperedJournal, UnreadableJournal, UsageReport, WrittenRequest,
};
use crate::db::params;
use crate::{Reader, StoreError};

impl<T: Reader + ?Sized> Queries for T {}

pub trait Queries: Reader {
    fn base(&self, license: &LicenseNumber) -> Result<Option<StoredBase>, StoreError> {
        bases::base(self.conn(), license)
    }

    /// A base license's certificate alone, without its text and provenance: all that deciding
    /// on another revision of it needs.
    fn base_certificate(
        &self,
        license: &LicenseNumber,
    ) -> Result<Option<licdesk_core::BaseCertificate>, StoreError> {
        bases::base_certificate(self.conn(), license)
    }

    fn failover(&self, license: &LicenseNumber) -> Result<Option<StoredFailover>, StoreError> {
        failovers::failover(self.conn(), license)
    }

    fn failovers_of(&self, base: &LicenseNumber) -> Result<Vec<StoredFailover>, StoreError> {
        failovers::failovers_of(self.conn(), base)
    }

    fn systems_of(&self, base: &LicenseNumber) -> Result<Vec<StoredSystem>, StoreError> {
        systems::systems_of(self.conn(), base)
    }

    /// The systems of several base licenses at once (a page of the list).
    fn systems_of_bases(&self, bases: &[LicenseNumber]) -> Result<Vec<StoredSystem>, StoreError> {
        systems::systems_of_bases(self.conn(), bases)
    }

    /// The FailoverSuites of several base licenses at once (a page of the list).
    fn failovers_of_bases(
        &self,
        bases: &[LicenseNumber],
    ) -> Result<Vec<StoredFailover>, StoreError> {
        failovers::failovers_of_bases(self.conn(), bases)
    }

    fn system(
        &self,
        role: Role,
        license: &LicenseNumber,
    ) -> Result<Option<StoredSystem>, StoreError> {
        systems::system(self.conn(), role, license)
    }

    fn all_systems(&self) -> Result<Vec<StoredSystem>, StoreError> {
        systems::all_systems(self.conn())
    }

    /// The standbys registered, pending or active: the primary key's range of that role, so the
    /// main systems (one per activated license) are not read.
    fn standby_systems(&self) -> Result<Vec<StoredSystem>, StoreError> {
        systems::standby_systems(self.conn())
    }

    /// When the latest request for this system that no response has answered was written.
    fn open_request_at(
        &self,
        license: &LicenseNumber,
        role: Role,
        hardware_id: &HardwareId,
    ) -> Result<Option<Timestamp>, StoreError> {
        requests::open_request_at(self.conn(), license, role, hardware_id)
    }

    fn request(&self, nonce: &str) -> Result<Option<StoredRequest>, StoreError> {
        requests::request(self.conn(), nonce)
    }

    fn trusted_keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        trusted_keys::trusted_keys(self.conn())
    }

    fn file_seen(&self, file_hash: &str) -> Result<bool, StoreError> {
        imported_files::file_seen(self.conn(), file_hash)
    }

    /// When this desk's own usage journal was last exported (it reported the standby's state up
    /// to then).
    fn latest_journal_export(&self) -> Result<Option<Timestamp>, StoreError> {
        journal::latest_journal_export(self.conn())
    }

    /// This desk's own usage journal, in order.
    fn journal_entries(&self) -> Result<Vec<JournalEntry>, StoreError> {
        journal::journal_entries(self.conn())
    }

    /// At most `limit` entries of this desk's own usage journal before entry `before` (from the
    /// last one when None), the latest first.
    fn journal_entries_back(
        &self,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        journal::journal_entries_back(self.conn(), before, limit)
    }

    /// The latest usage report imported for a FailoverSuite's standby.
    fn usage_report(&self, failover: &LicenseNumber) -> Result<Option<UsageReport>, StoreError> {
        usage_reports::usage_report(self.conn(), failover)
    }

    /// The latest usage report of every FailoverSuite's standby.
    fn usage_reports(&self) -> Result<Vec<UsageReport>, StoreError> {
        usage_reports::usage_reports(self.conn())
    }

    /// The latest trusted usage journal of a FailoverSuite's standby as imported, when kept.
    fn trusted_journal_text(&self, failover: &LicenseNumber) -> Result<Option<String>, StoreError> {
        usage_reports::trusted_journal_text(self.conn(), failover)
    }

    /// The usage reports without the violations recorded.
    fn usage_reports_alone(&self) -> Result<Vec<UsageReport>, StoreError> {
        usage_reports::usage_reports_alone(self.conn())
    }

    /// Every usage journal of a FailoverSuite's standby that could not be trusted, oldest first.
    fn tampered_journals(&self) -> Result<Vec<TamperedJournal>, StoreError> {
        tampered::tampered_journals(self.conn())
    }

    /// Usage journals whose own signature failed, oldest first.
    fn unreadable_journals(&self) -> Result<Vec<UnreadableJournal>, StoreError> {
        tampered::unreadable_journals(self.conn())
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        meta::meta(self.conn(), key)
    }

    /// Whether a standby's activation in this store certifies the installation key `key`
    /// (base64). Reads the standbys only (the primary key's range of that role).
    fn certifies_installation_key(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM systems WHERE role = 'standby' AND installation_key = ?1 LIMIT 1",
            )?
            .query_opt(params![key], |_| Ok(()))?
            .is_some())
    }

    /// The content id of every signed file this store has seen (imported, or recorded).
    fn seen_file_ids(&self) -> Result<Vec<String>, StoreError> {
        imported_files::seen_file_ids(self.conn())
    }

    /// The content id, kind and size of each signed file this store keeps whole (what sync
    /// can hand over), in the order they were imported here.
    fn signed_file_index(&self) -> Result<Vec<(String, String, u64)>, StoreError> {
        imported_files::signed_file_index(self.conn())
    }

    /// The signed files of `ids` this store keeps whole, in the order they were imported here.
    fn signed_files(&self, ids: &[String]) -> Result<Vec<SignedFile>, StoreError> {
        imported_files::signed_files(self.conn(), ids)
    }

    /// Every request this desk (or a store synced with it) wrote, oldest first.
    fn written_requests(&self) -> Result<Vec<WrittenRequest>, StoreError> {
        exchange::written_requests(self.conn())
    }

    /// Every decision people made here that no vendor signed (violations acknowledged,
    /// journals dismissed), oldest first.
    fn decisions(&self) -> Result<Vec<Decision>, StoreError> {
        exchange::decisions(self.conn())
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        audit::audit_log(self.conn())
    }

    /// One page of the licenses list ([`ListQuery`]: a filter, an order, only those needing
    /// attention) and how many licenses it pages through. See the `search` module for how.
    fn page_bases(&self, query: &ListQuery<'_>) -> Result<(Vec<ListedBase>, u64), StoreError> {
        search::page_bases(self.conn(), query, self.kept_names())
    }

    /// How many base licenses need attention: those the store keeps an attention for, and
    /// those of `also` (see the `listing` module).
    fn attention_count(&self, also: &[LicenseNumber]) -> Result<u64, StoreError> {
        listing::attention_count(self.conn(), also)
    }

    /// The active standby whose activation certified the installation key `key`, and its base.
    fn standby_of_installation(
        &self,
        key: &str,
    ) -> Result<Option<(LicenseNumber, LicenseNumber)>, StoreError> {
        listing::standby_of_installation(self.conn(), key)
    }

    /// The standbys whose usage journal is overdue at `now` (see the `listing` module).
    fn journals_overdue(
        &self,
        now: Timestamp,
        due_hours: i64,
        own_key: Option<&str>,
    ) -> Result<Vec<JournalOverdue>, StoreError> {
        listing::journals_overdue(self.conn(), now, due_hours, own_key)
    }

    /// A base license's row of the list (None when the store does not hold it).
    fn listed_base(&self, license: &LicenseNumber) -> Result<Option<ListedBase>, StoreError> {
        page::listed_base(self.conn(), license)
    }

    fn list_bases(
        &self,
        filter: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<ListedBase>, StoreError> {
        search::list_bases(self.conn(), filter, offset, limit, self.kept_names())
    }

    fn count_bases(&self, filter: &str) -> Result<u64, StoreError> {
        search::count_bases(self.conn(), filter, self.kept_names())
    }

    /// Every row of every table as text, in a fixed order: two dumps are equal exactly when
    /// the store's content is (tests compare a dump before and after a refused import).
    fn dump(&self) -> Result<String, StoreError> {
        dump(self.conn())
    }
}
