//! Reading the store for people: the page of licenses, one license in full, the audit log.

use crate::views::*;
use crate::StandbyRefusal;
use crate::{Desk, DeskError, MAX_PAGE};
use licdesk_core::{FailoverCertificate, LicenseNumber, LicenseProduct, Role};
use licdesk_store::{ListOrder, ListQuery, Queries, StoredBase, StoredSystem, SystemState};

impl Desk {
    // -----------------------------------------------------------------------------------------
    // Reading

    /// A page of the licenses matching `filter`, by customer (see [`Desk::list_page`]).
    pub fn list(&self, filter: &str, offset: u32, limit: u32) -> Result<LicensePage, DeskError> {
        self.list_page(&ListRequest {
            filter,
            needs_attention: false,
            order: ListOrder::Customer,
            descending: false,
            offset,
            limit,
        })
    }

    /// One page of the licenses list: each row with its extensions, FailoverSuites and
    /// systems, and what it needs (most urgent first); how many licenses the page is one of, and
    /// how many of the whole store need attention. The store sorts, filters and counts through
    /// its indexes; what needs attention at the time of asking comes from the standbys alone
    /// (`crate::attention`), so a page costs the same with 100,000 licenses as with ten.
    pub fn list_page(&self, request: &ListRequest<'_>) -> Result<LicensePage, DeskError> {
        self.store.reading(|| self.list_page_now(request))
    }

    fn list_page_now(&self, request: &ListRequest<'_>) -> Result<LicensePage, DeskError> {
        let now = self.attention_now()?;
        let also = now.licenses();
        let query = ListQuery {
            filter: request.filter,
            order: request.order,
            descending: request.descending,
            needing_attention: request.needs_attention.then_some(also.as_slice()),
            offset: request.offset,
            limit: request.limit.clamp(1, MAX_PAGE),
        };
        let (page, total) = self.store.page_bases(&query)?;
        // The page's systems and FailoverSuites in one query each, not two per row.
        let licenses: Vec<LicenseNumber> = page.iter().map(|b| b.license.clone()).collect();
        let mut systems = by_base(self.store.systems_of_bases(&licenses)?, |s| {
            s.base_license.clone()
        });
        let mut failovers = by_base(self.store.failovers_of_bases(&licenses)?, |f| {
            f.certificate.base_license.clone()
        });
        let own_key = self.installation_public_key()?;
        let rows = page
            .into_iter()
            .map(|b| {
                let attention = now.with_kept(&b.license, b.attention);
                let mut row = self.summary_with(
                    Listed {
                        systems: systems.remove(&b.license).unwrap_or_default(),
                        failovers: failovers.remove(&b.license).unwrap_or_default(),
                        license: b.license,
                        customer: b.customer,
                        variant: b.variant,
                        revision: b.revision,
                        demo: b.demo,
                        extensions: b.extensions,
                    },
                    &b.entitlement_digest,
                    own_key.as_deref(),
                )?;
                // The list says which systems wait for the vendor's response (an index lookup
                // for each system not active).
                self.mark_open_requests(&mut row)?;
                row.attention = attention;
                row.changed_at = Some(b.changed_at);
                Ok(row)
            })
            .collect::<Result<Vec<_>, DeskError>>()?;
        Ok(LicensePage {
            total,
            offset: request.offset,
            rows,
            attention_total: self.store.attention_count(&also)?,
        })
    }

    /// A license's summary from its row, systems and FailoverSuites as read; `own_key`: the
    /// installation key of this desk, whose own standby shows its live journal.
    fn summary_with(
        &self,
        listed: Listed,
        digest: &str,
        own_key: Option<&str>,
    ) -> Result<LicenseSummary, DeskError> {
        let systems = listed.systems;
        let view = |s: &StoredSystem| system_view(s, digest);
        let main_system = systems.iter().find(|s| s.role == Role::Main).map(view);
        let standby_of = |f: &LicenseNumber| {
            systems
                .iter()
                .find(|s| s.role == Role::Standby && &s.license == f)
        };
        let failovers = listed
            .failovers
            .into_iter()
            .map(|f| {
                let license = f.certificate.license;
                let standby = standby_of(&license);
                // The standby this desk is shows its live journal, as monitoring does.
                let live = match standby.and_then(|s| crate::live::is_own(s, own_key)) {
                    Some(_) => self.own_live_report(&license).ok().flatten(),
                    None => None,
                };
                FailoverView {
                    usage_live: live.is_some(),
                    usage: live.or_else(|| self.store.usage_report(&license).ok().flatten()),
                    standby: standby.map(view),
                    license,
                    article: f.certificate.article,
                    demo: f.demo,
                }
            })
            .collect();
        Ok(LicenseSummary {
            license: listed.license,
            customer: listed.customer,
            variant: listed.variant,
            revision: listed.revision,
            demo: listed.demo,
            extensions: listed.extensions,
            failovers,
            main_system,
            attention: Vec::new(),
            changed_at: None,
        })
    }

    /// One base license in full. A FailoverSuite number shows its base license.
    pub fn show(&self, license: &LicenseNumber) -> Result<LicenseDetail, DeskError> {
        let base_number = match license.product() {
            LicenseProduct::Suite => license.clone(),
            LicenseProduct::FailoverSuite => self.failover_cert(license)?.base_license,
        };
        let base = self.base(&base_number)?;
        let cert = &base.certificate;
        let listed = Listed {
            systems: self.store.systems_of(&base_number)?,
            failovers: self.store.failovers_of(&base_number)?,
            license: cert.license.clone(),
            customer: cert.customer.clone(),
            variant: cert.variant,
            revision: cert.revision,
            demo: base.demo,
            extensions: cert.extensions.clone(),
        };
        let own_key = self.installation_public_key()?;
        let summary = self.summary_with(listed, &base.entitlement_digest, own_key.as_deref())?;
        let mut notices = Vec::new();
        if base.demo {
            notices.push(
                "DEMO: this license was issued by the demo vendor and licenses nothing."
                    .to_string(),
            );
        }
        // R11: the notice names the limits of each standby's signed activation (the data
        // sheet's five days for a FailoverSuite not activated yet).
        for f in &summary.failovers {
            let notice = self.standby_notice(&f.license)?;
            if !notices.contains(&notice) {
                notices.push(notice);
            }
        }
        if let Some(floor) = self.clock_behind()? {
            notices.push(format!(
                "The system clock is behind the latest signed time this desk has seen ({floor}): check the clock; licensing times cannot be trusted while it is wrong."
            ));
        }
        let mut summary = summary;
        self.mark_open_requests(&mut summary)?;
        if let Some(listed) = self.store.listed_base(&base_number)? {
            summary.attention = self
                .attention_now()?
                .with_kept(&base_number, listed.attention);
            summary.changed_at = Some(listed.changed_at);
        }
        let systems = summary
            .main_system
            .iter()
            .chain(summary.failovers.iter().filter_map(|f| f.standby.as_ref()));
        for s in systems {
            if s.status == Status::OutOfDate {
                notices.push(format!(
                    "The {} system {} was activated before the main system's licenses changed: export a new activation request and import the response (R5).",
                    s.role.code(),
                    s.hardware_id
                ));
            }
        }
        let actions = self.actions(&summary)?;
        let mut timelines = Vec::new();
        for f in &summary.failovers {
            timelines.extend(self.timeline(&f.license, f.usage.as_ref(), f.usage_live)?);
        }
        Ok(LicenseDetail {
            actions,
            timelines,
            entitlements: cert.entitlements(),
            issued_at: cert.issued_at,
            key_id: base.key_id.to_string(),
            vendor: self.vendor_of(&base.key_id),
            notices,
            summary,
        })
    }

    /// Sets `request_written_at` on the systems of `summary` that are not active: when the
    /// latest request for each was written, unless a response, a new registration or a release
    /// came after it (from the audit log, read only when a system of this license waits).
    pub(crate) fn mark_open_requests(&self, summary: &mut LicenseSummary) -> Result<(), DeskError> {
        let waiting =
            |s: &Option<SystemView>| s.as_ref().is_some_and(|s| s.status != Status::Active);
        if !waiting(&summary.main_system) && !summary.failovers.iter().any(|f| waiting(&f.standby))
        {
            return Ok(());
        }
        let systems = summary.main_system.iter_mut().chain(
            summary
                .failovers
                .iter_mut()
                .filter_map(|f| f.standby.as_mut()),
        );
        for s in systems.filter(|s| s.status != Status::Active) {
            // A request written before the system was (re)registered asked for something else.
            s.request_written_at = self
                .store
                .open_request_at(&s.license, s.role, &s.hardware_id)?
                .filter(|written| *written >= s.registered_at);
        }
        Ok(())
    }

    pub(crate) fn base(&self, license: &LicenseNumber) -> Result<StoredBase, DeskError> {
        self.store.base(license)?.ok_or_else(|| {
            StandbyRefusal::BaseNotInStore {
                license: license.clone(),
            }
            .into()
        })
    }

    pub(crate) fn failover_cert(
        &self,
        license: &LicenseNumber,
    ) -> Result<FailoverCertificate, DeskError> {
        Ok(self
            .store
            .failover(license)?
            .ok_or_else(|| StandbyRefusal::FailoverNotInStore {
                license: license.clone(),
            })?
            .certificate)
    }

    pub fn audit_log(&self) -> Result<Vec<licdesk_store::AuditEntry>, DeskError> {
        Ok(self.store.audit_log()?)
    }
}

/// A base license as a page lists it, with its systems and FailoverSuites.
struct Listed {
    license: LicenseNumber,
    customer: String,
    variant: licdesk_core::Variant,
    revision: u32,
    demo: bool,
    extensions: Vec<licdesk_core::Extension>,
    systems: Vec<StoredSystem>,
    failovers: Vec<licdesk_store::StoredFailover>,
}

/// `items` grouped by the base license `base_of` names.
fn by_base<T>(
    items: Vec<T>,
    base_of: impl Fn(&T) -> LicenseNumber,
) -> std::collections::HashMap<LicenseNumber, Vec<T>> {
    let mut grouped: std::collections::HashMap<LicenseNumber, Vec<T>> = Default::default();
    for item in items {
        grouped.entry(base_of(&item)).or_default().push(item);
    }
    grouped
}

pub(crate) fn system_view(s: &StoredSystem, current_digest: &str) -> SystemView {
    let status = match (&s.state, &s.activation) {
        (SystemState::Active, Some(a))
            if licdesk_core::decisions::is_out_of_date(&a.entitlement_digest, current_digest) =>
        {
            Status::OutOfDate
        }
        (SystemState::Active, _) => Status::Active,
        (SystemState::Pending, _) => Status::Pending,
    };
    SystemView {
        role: s.role,
        license: s.license.clone(),
        hardware_id: s.hardware.id.clone(),
        label: s.hardware.label.clone(),
        mode: s.mode,
        status,
        registered_at: s.registered_at,
        activated_at: s.activation.as_ref().map(|a| a.activated_at),
        entitlements: s
            .activation
            .as_ref()
            .map(|a| a.entitlements.clone())
            .unwrap_or_default(),
        granted_variant: s.activation.as_ref().and_then(|a| {
            a.entitlements
                .iter()
                .find_map(licdesk_core::Variant::of_suite_entitlement)
        }),
        journal_verifiable: s
            .activation
            .as_ref()
            .is_some_and(|a| a.installation_key.is_some()),
        notice_acknowledged_at: s.notice_acknowledged_at,
        activatable: s.role == Role::Main || s.installation_key.is_some(),
        limits: s
            .activation
            .as_ref()
            .and_then(|a| a.limits)
            .or(s.limits)
            .filter(|_| s.role == Role::Standby),
        request_written_at: None,
    }
}
