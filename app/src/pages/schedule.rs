//! `/schedule[?account=ID]`: the timing scan of a Tencent Cloud TCSS
//! account in words, its last and next run, and (for operators and
//! admins) the form that changes it.

use crate::accounts::{AccountInfo, Provider};
use crate::components::common::drawn_once::drawn_once;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::CurrentUser;
use crate::components::schedule::form::{SaveAction, SaveSchedule, ScheduleForm};
use crate::components::schedule::summary::ScheduleSummary;
use crate::dates::now_ms;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::accounts::list_accounts;
use crate::server_fns::tcss::{tcss_timing_scan, tcss_update_timing_scan};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use scanport_wire::portal::Role;
use scanport_wire::tcss::TimingScanTask;
use serde::{Deserialize, Serialize};

/// The schedule as read, with what the page says about the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub account: AccountInfo,
    /// Every Tencent account, to switch between.
    pub tencent: Vec<AccountInfo>,
    /// Why the `?account=` asked for is not the one shown.
    pub note: Option<Note>,
    pub task: TimingScanTask,
    /// When it was read: the next run is computed from this moment, so
    /// the server's rendering and the hydrated page agree.
    pub now_ms: i64,
}

/// Why the page shows another account than the `?account=` asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    /// The account exists but is not a Tencent one.
    NotTencent {
        asked: String,
        provider: Provider,
        shown: String,
    },
    /// There is no such account.
    Unknown { asked: String, shown: String },
}

impl Note {
    /// The note in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Self::NotTencent {
                asked,
                provider,
                shown,
            } => {
                let provider = match provider {
                    Provider::Huawei => td_string!(locale, provider_huawei_long),
                    Provider::Tencent => td_string!(locale, provider_tencent_long),
                };
                td_string!(
                    locale,
                    schedule_note_not_tencent,
                    asked = asked,
                    provider = provider,
                    shown = shown
                )
                .to_string()
            }
            Self::Unknown { asked, shown } => {
                td_string!(locale, schedule_note_unknown, asked = asked, shown = shown).to_string()
            }
        }
    }
}

/// The account to show: the one asked for if it is a Tencent account,
/// otherwise the first Tencent account (and a note saying why). `None`
/// when there is no Tencent account.
fn choose(
    all: &[AccountInfo],
    asked: Option<&str>,
) -> Option<(AccountInfo, Vec<AccountInfo>, Option<Note>)> {
    let tencent: Vec<AccountInfo> = all
        .iter()
        .filter(|a| a.provider == Provider::Tencent)
        .cloned()
        .collect();
    let first = tencent.first()?.clone();
    let (account, note) = match asked {
        None => (first, None),
        Some(id) => match all.iter().find(|a| a.id == id) {
            Some(a) if a.provider == Provider::Tencent => (a.clone(), None),
            Some(a) => (
                first.clone(),
                Some(Note::NotTencent {
                    asked: a.id.clone(),
                    provider: a.provider,
                    shown: first.id.clone(),
                }),
            ),
            None => (
                first.clone(),
                Some(Note::Unknown {
                    asked: id.to_owned(),
                    shown: first.id.clone(),
                }),
            ),
        },
    };
    Some((account, tencent, note))
}

async fn load(asked: Option<String>) -> Result<Option<Loaded>, AppError> {
    let all = list_accounts().await?;
    let Some((account, tencent, note)) = choose(&all, asked.as_deref()) else {
        return Ok(None);
    };
    let task = tcss_timing_scan(account.id.clone(), None).await?;
    Ok(Some(Loaded {
        account,
        tencent,
        note,
        task,
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
    // Saved: read the schedule back, so the page shows the server's copy
    // (the form is rebuilt from it).
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
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
                        let Loaded { account, tencent, note, task, now_ms } = loaded;
                        let others = (tencent.len() > 1).then(|| {
                            let current = account.id.clone();
                            view! {
                                <nav class="schedule-accounts" aria-label=move || t_string!(i18n, schedule_accounts)>
                                    {tencent
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
                        view! {
                            {note.map(|n| view! { <p class="notice warn" role="status">{move || n.text(i18n.get_locale())}</p> })}
                            <p class="schedule-account">
                                {t!(i18n, schedule_account)}" " <code>{account.id.clone()}</code>
                                <span class="account-meta">{crate::components::layout::describe(i18n, &account)}</span>
                            </p>
                            {others}
                            <ScheduleSummary task=task.clone() now_ms />
                            {if operator {
                                view! { <ScheduleForm account=account.id.clone() task save /> }.into_any()
                            } else {
                                view! {
                                    <p class="hint">{t!(i18n, schedule_operators_only)}</p>
                                }
                                    .into_any()
                            }}
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
    fn the_page_picks_a_tencent_account() {
        let all = vec![
            account("hw", Provider::Huawei),
            account("tc-1", Provider::Tencent),
            account("tc-2", Provider::Tencent),
        ];
        let pick = |asked: Option<&str>| {
            choose(&all, asked).map(|(a, list, note)| (a.id, list.len(), note))
        };
        assert_eq!(pick(None), Some(("tc-1".into(), 2, None)));
        assert_eq!(pick(Some("tc-2")), Some(("tc-2".into(), 2, None)));
        let (id, _, note) = pick(Some("hw")).expect("a Tencent account");
        assert_eq!(id, "tc-1");
        let note = note.expect("a note");
        assert!(
            note.text(Locale::en)
                .starts_with("hw is a Huawei Cloud HSS account")
        );
        assert!(note.text(Locale::zh).starts_with("hw 是华为云 HSS 账号"));
        let (_, _, note) = pick(Some("nope")).expect("a Tencent account");
        assert_eq!(
            note.map(|n| n.text(Locale::en)).as_deref(),
            Some("There is no account “nope”. Showing tc-1.")
        );
        assert_eq!(choose(&all[..1], None), None);
    }
}
