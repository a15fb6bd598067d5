//! The HSS scan policy's pure rules, shared by the server rendering and
//! the browser: the policy as a sentence, and the edit form's contents
//! turned into a `ModifyImageScanPolicy` request.

use super::rules::join_and;
use crate::i18n::*;
use scanport_wire::FieldError;
use scanport_wire::hss::{
    MAX_RATE_LIMIT, PolicyRegistryRef, RegistryType, SCAN_CYCLES, SCOPE_ALL_REQUEST,
    SCOPE_BASELINE, SCOPE_KINDS, SCOPE_MALICIOUS_FILES, SCOPE_SENSITIVE_INFO,
    SCOPE_SOFTWARE_COMPLIANCE, SCOPE_VULNERABILITIES, ScanPolicy, TIME_SCOPES,
    UpdateScanPolicyRequest, scope_kinds,
};

/// The service's defaults for members an answer leaves out.
const DEFAULT_CYCLE: i64 = 7;

/// A kind of risk in the sentence (lower case, mid-sentence).
pub fn kind_label(locale: Locale, kind: i64) -> String {
    match kind {
        SCOPE_VULNERABILITIES => td_string!(locale, hss_kind_vul),
        SCOPE_BASELINE => td_string!(locale, hss_kind_baseline),
        SCOPE_MALICIOUS_FILES => td_string!(locale, hss_kind_malicious),
        SCOPE_SENSITIVE_INFO => td_string!(locale, hss_kind_sensitive),
        SCOPE_SOFTWARE_COMPLIANCE => td_string!(locale, hss_kind_compliance),
        _ => "",
    }
    .to_owned()
}

/// A kind of risk as the form's checkbox names it.
pub fn kind_choice(locale: Locale, kind: i64) -> String {
    match kind {
        SCOPE_VULNERABILITIES => td_string!(locale, hss_form_vul),
        SCOPE_BASELINE => td_string!(locale, hss_form_baseline),
        SCOPE_MALICIOUS_FILES => td_string!(locale, hss_form_malicious),
        SCOPE_SENSITIVE_INFO => td_string!(locale, hss_form_sensitive),
        SCOPE_SOFTWARE_COMPLIANCE => td_string!(locale, hss_form_compliance),
        _ => "",
    }
    .to_owned()
}

/// Which images by age: every image, or those of the last N days.
pub fn age_label(locale: Locale, days: i64) -> String {
    match days {
        0 => td_string!(locale, sched_all_images).to_owned(),
        1 => td_string!(locale, hss_age_day).to_owned(),
        n => td_string!(locale, hss_age_days, n = n).to_string(),
    }
}

/// The policy as a phrase, whether or not it is on:
/// `every 7 days, every kind of risk, images of the last 7 days, up to 200
/// images an hour`. (Registries are listed beside it, not in it.)
pub fn describe(locale: Locale, policy: &ScanPolicy) -> String {
    let period = td_string!(
        locale,
        sched_every_days,
        n = policy.scan_cycle.unwrap_or(DEFAULT_CYCLE)
    )
    .to_string();
    let kinds = scope_kinds(policy.scan_scope.unwrap_or(0));
    let kinds = match kinds.len() {
        0 => td_string!(locale, hss_kind_none).to_owned(),
        n if n == SCOPE_KINDS.len() => td_string!(locale, hss_kind_all).to_owned(),
        _ => {
            let labels: Vec<String> = kinds.iter().map(|k| kind_label(locale, *k)).collect();
            join_and(locale, &labels)
        }
    };
    let age = age_label(locale, policy.time_scope.unwrap_or(0));
    let rate = match policy.rate_limit.unwrap_or(0) {
        0 => td_string!(locale, hss_rate_none).to_owned(),
        n => td_string!(locale, hss_rate, n = n).to_string(),
    };
    td_string!(
        locale,
        hss_phrase,
        period = period,
        kinds = kinds,
        age = age,
        rate = rate
    )
    .to_string()
}

/// The policy as the page's sentence: `Every 7 days, …` or
/// `Off. When on: every 7 days, …`.
pub fn sentence(locale: Locale, policy: &ScanPolicy) -> String {
    super::rules::on_off_sentence(
        locale,
        policy.enabled.unwrap_or(false),
        describe(locale, policy),
    )
}

/// A registry the form can send back: the SDK needs its id, name and a
/// known type. (A registry lacking one cannot be named in a request.)
fn registry_ref(r: &scanport_wire::hss::ScanPolicyRegistry) -> Option<PolicyRegistryRef> {
    Some(PolicyRegistryRef {
        registry_id: r.registry_id.clone().filter(|id| !id.is_empty())?,
        registry_name: r.registry_name.clone().filter(|n| !n.is_empty())?,
        registry_type: RegistryType::parse(r.registry_type.as_deref()?)?,
    })
}

/// The edit form's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDraft {
    pub enabled: bool,
    /// `scan_cycle` as the select's value.
    pub cycle: String,
    /// One per [`SCOPE_KINDS`], in order.
    pub kinds: [bool; 5],
    /// `time_scope` as the select's value.
    pub age: String,
    /// `rate_limit` as typed.
    pub rate: String,
    /// Each registry the form offers, and whether it is chosen.
    pub registries: Vec<(PolicyRegistryRef, bool)>,
}

impl PolicyDraft {
    pub fn from_policy(policy: &ScanPolicy) -> Self {
        let scope = policy.scan_scope.unwrap_or(0);
        let covered = scope_kinds(scope);
        Self {
            enabled: policy.enabled.unwrap_or(false),
            cycle: policy
                .scan_cycle
                .filter(|c| SCAN_CYCLES.contains(c))
                .unwrap_or(DEFAULT_CYCLE)
                .to_string(),
            kinds: SCOPE_KINDS.map(|k| covered.contains(&k)),
            age: policy
                .time_scope
                .filter(|d| TIME_SCOPES.contains(d))
                .unwrap_or(0)
                .to_string(),
            rate: policy.rate_limit.unwrap_or(0).to_string(),
            registries: policy
                .registry_list
                .iter()
                .filter_map(|r| Some((registry_ref(r)?, r.is_selected == Some(true))))
                .collect(),
        }
    }

    /// The request, or the field the form must fix (in `locale`).
    pub fn to_request_in(&self, locale: Locale) -> Result<UpdateScanPolicyRequest, FieldError> {
        let number = |field: &str, text: &str| {
            text.trim()
                .parse::<i64>()
                .map_err(|_| FieldError::new(field, format!("{text:?}")))
        };
        let rate = self.rate.trim();
        let rate_limit = rate
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=MAX_RATE_LIMIT).contains(n))
            .ok_or_else(|| {
                FieldError::new(
                    "rate_limit",
                    td_string!(locale, hss_err_rate, got = rate).to_string(),
                )
            })?;
        let mut scan_scope = SCOPE_KINDS
            .iter()
            .zip(self.kinds)
            .filter(|(_, on)| *on)
            .fold(0, |scope, (kind, _)| scope | kind);
        // The request model spells "every kind" 0x7fffffff.
        if self.kinds.iter().all(|on| *on) {
            scan_scope = SCOPE_ALL_REQUEST;
        }
        if self.enabled && scan_scope == 0 {
            return Err(FieldError::new(
                "scan_scope",
                td_string!(locale, hss_err_scope).to_owned(),
            ));
        }
        let registry_info: Vec<PolicyRegistryRef> = self
            .registries
            .iter()
            .filter(|(_, on)| *on)
            .map(|(r, _)| r.clone())
            .collect();
        if self.enabled && registry_info.is_empty() {
            return Err(FieldError::new(
                "registry_info",
                td_string!(locale, hss_err_registries).to_owned(),
            ));
        }
        let request = UpdateScanPolicyRequest {
            enabled: self.enabled,
            scan_cycle: number("scan_cycle", &self.cycle)?,
            scan_scope,
            rate_limit,
            time_scope: number("time_scope", &self.age)?,
            registry_info,
            enterprise_project_id: None,
        };
        // The server's own rules, so the form never sends what it refuses.
        request.validate()?;
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scanport_wire::hss::{SCOPE_ALL, ScanPolicyRegistry};

    fn registry(id: &str, ty: &str, selected: bool) -> ScanPolicyRegistry {
        ScanPolicyRegistry {
            is_selected: Some(selected),
            registry_name: Some(format!("{id} name")),
            registry_id: Some(id.into()),
            registry_type: Some(ty.into()),
        }
    }

    fn seeded() -> ScanPolicy {
        ScanPolicy {
            is_all: Some(false),
            enabled: Some(true),
            scan_cycle: Some(7),
            scan_scope: Some(SCOPE_ALL),
            rate_limit: Some(200),
            time_scope: Some(7),
            total_registry_num: Some(3),
            registry_list: vec![
                registry("reg-swr-private", "SwrPrivate", true),
                registry("reg-harbor", "Harbor", false),
                registry("reg-odd", "Quay", true),
            ],
        }
    }

    #[test]
    fn the_policy_in_words() {
        let policy = seeded();
        assert_eq!(
            sentence(Locale::en, &policy),
            "Every 7 days, every kind of risk, images of the last 7 days, up to 200 images an hour."
        );
        let off = ScanPolicy {
            enabled: Some(false),
            scan_cycle: Some(14),
            scan_scope: Some(SCOPE_VULNERABILITIES | SCOPE_MALICIOUS_FILES),
            rate_limit: Some(0),
            time_scope: Some(1),
            ..policy
        };
        assert_eq!(
            sentence(Locale::en, &off),
            "Off. When on: every 14 days, vulnerabilities and malicious files, \
             images of the last day, no rate limit."
        );
        assert!(sentence(Locale::zh, &off).starts_with("已关闭"));
        assert!(sentence(Locale::es, &off).starts_with("Desactivada"));
    }

    #[test]
    fn the_form_sends_back_what_it_read() {
        let draft = PolicyDraft::from_policy(&seeded());
        // A registry of a type the SDK does not name cannot be sent.
        assert_eq!(draft.registries.len(), 2);
        let request = draft.to_request_in(Locale::en).expect("valid");
        assert_eq!(
            (
                request.scan_cycle,
                request.scan_scope,
                request.rate_limit,
                request.time_scope
            ),
            (7, SCOPE_ALL_REQUEST, 200, 7)
        );
        assert_eq!(request.registry_info.len(), 1);
        assert_eq!(request.registry_info[0].registry_id, "reg-swr-private");
    }

    #[test]
    fn the_form_names_the_field_to_fix() {
        let mut draft = PolicyDraft::from_policy(&seeded());
        draft.rate = "lots".into();
        let err = draft.to_request_in(Locale::en).unwrap_err();
        assert_eq!(err.field, "rate_limit");
        assert!(err.message.contains("lots"), "{}", err.message);
        draft.rate = "10".into();
        draft.kinds = [false; 5];
        assert_eq!(
            draft.to_request_in(Locale::en).unwrap_err().field,
            "scan_scope"
        );
        draft.kinds[1] = true;
        for (_, on) in &mut draft.registries {
            *on = false;
        }
        assert_eq!(
            draft.to_request_in(Locale::en).unwrap_err().field,
            "registry_info"
        );
        // Off, nothing needs choosing.
        draft.enabled = false;
        draft.kinds = [false; 5];
        assert!(draft.to_request_in(Locale::en).is_ok());
    }
}
