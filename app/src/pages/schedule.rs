//! `/schedule[?account=ID]`: an account's scheduled registry scan in
//! words, and (for operators and admins) the form that changes it. Both
//! clouds have one: a Tencent Cloud TCSS account's timing scan (with its
//! last and next run) and a Huawei Cloud HSS account's scan policy.

use crate::accounts::{AccountInfo, Provider};
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::CurrentUser;
use crate::components::schedule::form::{SaveAction, SaveSchedule, ScheduleForm};
use crate::components::schedule::policy_form::{PolicyForm, PolicySaveAction, SavePolicy};
use crate::components::schedule::policy_summary::PolicySummary;
use crate::components::schedule::summary::ScheduleSummary;
use crate::dates::now_ms;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::accounts::list_accounts;
use crate::server_fns::hss::{hss_scan_policy, hss_update_scan_policy};
use crate::server_fns::tcss::{tcss_timing_scan, tcss_update_timing_scan};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::hss::{ScanPolicy, ScanPolicyRequest};
use scanport_wire::portal::Role;
use scanport_wire::tcss::TimingScanTask;
use serde::{Deserialize, Serialize};

/// An account's schedule, as its cloud holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Plan {
    Tencent(TimingScanTask),
    Huawei(ScanPolicy),
}

/// The schedule as read, with what the page says about the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub account: AccountInfo,
    /// Every account with a schedule, to switch between.
    pub accounts: Vec<AccountInfo>,
    /// Why the `?account=` asked for is not the one shown.
    pub note: Option<Note>,
    pub plan: Plan,
    /// When it was read: the next run is computed from this moment, so
    /// the server's rendering and the hydrated page agree.
    pub now_ms: i64,
}

/// Why the page shows another account than the `?account=` asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    /// There is no such account.
    Unknown { asked: String, shown: String },
}

impl Note {
    /// The note in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Self::Unknown { asked, shown } => {
                td_string!(locale, schedule_note_unknown, asked = asked, shown = shown).to_string()
            }
        }
    }
}

/// The account to show: the one asked for, otherwise the first of the
/// preferred provider (and a note when the one asked for does not
/// exist). `None` when no account has a schedule.
fn choose(
    all: &[AccountInfo],
    asked: Option<&str>,
) -> Option<(AccountInfo, Vec<AccountInfo>, Option<Note>)> {
    // The providers with a schedule, the one preferred first.
    let providers = crate::components::layout::page_providers("/schedule");
    let accounts: Vec<AccountInfo> = all
        .iter()
        .filter(|a| providers.contains(&a.provider))
        .cloned()
        .collect();
    let first = providers
        .iter()
        .find_map(|p| accounts.iter().find(|a| a.provider == *p))?
        .clone();
    let (account, note) = match asked {
        None => (first, None),
        Some(id) => match accounts.iter().find(|a| a.id == id) {
            Some(a) => (a.clone(), None),
            None => (
                first.clone(),
                Some(Note::Unknown {
                    asked: id.to_owned(),
                    shown: first.id.clone(),
                }),
            ),
        },
    };
    Some((account, accounts, note))
}

async fn load(asked: Option<String>) -> Result<Option<Loaded>, AppError> {
    let all = list_accounts().await?;
    let Some((account, accounts, note)) = choose(&all, asked.as_deref()) else {
        return Ok(None);
    };
    let plan = match account.provider {
        Provider::Tencent => Plan::Tencent(tcss_timing_scan(account.id.clone(), None).await?),
        Provider::Huawei => {
            Plan::Huawei(hss_scan_policy(account.id.clone(), ScanPolicyRequest::cycle()).await?)
        }
    };
    Ok(Some(Loaded {
        account,
        accounts,
        note,
        plan,
        now_ms: now_ms(),
    }))
}

#[component]
pub fn SchedulePage() -> impl IntoView {
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account")));
    let i18n = use_i18n();
    let user = expect_context::<CurrentUser>().0;
    // Created here, never inside the Suspend below (hydration ids).
    let schedule = Resource::new(move || account.get(), load);
    let save: SaveAction = Action::new(|input: &SaveSchedule| {
        let SaveSchedule {
            account,
            request,
            key,
        } = input.clone();
        async move { tcss_update_timing_scan(account, request, Some(key)).await }
    });
    let save_policy: PolicySaveAction = Action::new(|input: &SavePolicy| {
        let SavePolicy {
            account,
            request,
            key,
        } = input.clone();
        async move { hss_update_scan_policy(account, request, Some(key)).await }
    });
    // Saved: read the schedule back, so the page shows the server's copy
    // (the form is rebuilt from it).
    Effect::new(move |_| {
        let tencent = matches!(save.value().get(), Some(Ok(_)));
        let huawei = matches!(save_policy.value().get(), Some(Ok(_)));
        if tencent || huawei {
            schedule.refetch();
        }
    });
    view! {
        <div class="page-head">
            <h1>{t!(i18n, schedule_title)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, schedule_loading)}</p> }>
            {drawn_once(move || Suspend::new(async move {
                let operator = user.await.is_some_and(|me| me.role.allows(Role::Operator));
                match schedule.await {
                    Ok(Some(loaded)) => {
                        let Loaded { account, accounts, note, plan, now_ms } = loaded;
                        let others = (accounts.len() > 1).then(|| {
                            let current = account.id.clone();
                            view! {
                                <nav class="schedule-accounts" aria-label=move || t_string!(i18n, schedule_accounts)>
                                    {accounts
                                        .into_iter()
                                        .map(|a| {
                                            let here = (a.id == current).then_some("page");
                                            view! {
                                                <a href=format!("/schedule?account={}", crate::format::url_encode(&a.id)) aria-current=here>
                                                    {a.id.clone()}
                                                </a>
                                            }
                                        })
                                        .collect_view()}
                                </nav>
                            }
                        });
                        let id = account.id.clone();
                        let (summary, form) = match plan {
                            Plan::Tencent(task) => (
                                view! { <ScheduleSummary task=task.clone() now_ms /> }.into_any(),
                                operator.then(|| view! { <ScheduleForm account=id task save /> }.into_any()),
                            ),
                            Plan::Huawei(policy) => (
                                view! { <PolicySummary policy=policy.clone() /> }.into_any(),
                                operator.then(|| view! { <PolicyForm account=id policy save=save_policy /> }.into_any()),
                            ),
                        };
                        let form = form.unwrap_or_else(|| {
                            view! { <p class="hint">{t!(i18n, schedule_operators_only)}</p> }.into_any()
                        });
                        view! {
                            {note.map(|n| view! { <p class="notice warn" role="status">{move || n.text(i18n.get_locale())}</p> })}
                            <p class="schedule-account">
                                {t!(i18n, schedule_account)}" " <code>{account.id.clone()}</code>
                                <span class="account-meta">{crate::components::layout::describe(i18n, &account)}</span>
                            </p>
                            {others}
                            {summary}
                            {form}
                        }
                            .into_any()
                    }
                    Ok(None) => view! {
                        <p class="empty">
                            {t!(i18n, schedule_no_account)}
                        </p>
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            }))}
        </Transition>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, provider: Provider) -> AccountInfo {
        AccountInfo {
            id: id.into(),
            provider,
            region: "r".into(),
            sandbox: true,
            paused: false,
        }
    }

    #[test]
    fn the_page_shows_the_account_asked_for_of_either_cloud() {
        let all = vec![
            account("hw", Provider::Huawei),
            account("tc-1", Provider::Tencent),
            account("tc-2", Provider::Tencent),
        ];
        let pick = |asked: Option<&str>| {
            choose(&all, asked).map(|(a, list, note)| (a.id, list.len(), note))
        };
        // Without one asked for: the first Tencent account.
        assert_eq!(pick(None), Some(("tc-1".into(), 3, None)));
        assert_eq!(pick(Some("tc-2")), Some(("tc-2".into(), 3, None)));
        assert_eq!(pick(Some("hw")), Some(("hw".into(), 3, None)));
        let (_, _, note) = pick(Some("nope")).expect("an account");
        assert_eq!(
            note.map(|n| n.text(Locale::en)).as_deref(),
            Some("There is no account “nope”. Showing tc-1.")
        );
        // A Huawei-only console shows its Huawei account.
        assert_eq!(
            choose(&all[..1], None).map(|(a, _, _)| a.id),
            Some("hw".into())
        );
        assert_eq!(choose(&[], None), None);
    }
}
