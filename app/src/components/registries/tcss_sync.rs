//! Syncing a TCSS account's registries (operators): all of them, or the
//! ones ticked in the table, picked by name. A confirmation names every
//! registry the sync will cover; each confirmation sends one request with
//! its own `Idempotency-Key`.

use crate::components::common::idempotency::new_key;
use crate::components::error_notice::ErrorNotice;
use crate::i18n::*;
use crate::server_fns::tcss::tcss_sync;
use leptos::html::Dialog;
use leptos::prelude::*;
use scanport_wire::tcss::{SyncRegistryAssetsRequest, TcssRegistry};
use std::collections::BTreeSet;

/// Registries ticked for "Sync selected", by `RegistryId`.
#[derive(Debug, Clone, Copy)]
pub struct TcssSelection(pub RwSignal<BTreeSet<i64>>);

/// What the operator is asked to confirm: every registry, or these ids.
#[derive(Debug, Clone, PartialEq)]
enum Asked {
    All,
    Chosen(Vec<i64>),
}

impl Asked {
    fn request(&self) -> SyncRegistryAssetsRequest {
        match self {
            Asked::All => SyncRegistryAssetsRequest {
                all: Some(true),
                registry_ids: None,
            },
            Asked::Chosen(ids) => SyncRegistryAssetsRequest {
                all: None,
                registry_ids: Some(ids.clone()),
            },
        }
    }

    /// The names of the registries it covers, as the table shows them.
    fn names(&self, registries: &[TcssRegistry]) -> Vec<String> {
        registries
            .iter()
            .filter(|r| match self {
                Asked::All => true,
                Asked::Chosen(ids) => ids.contains(&r.registry_id),
            })
            .map(|r| r.name.clone())
            .collect()
    }
}

/// `started` runs once the service has accepted a sync.
#[component]
pub fn TcssSyncActions(
    account: String,
    registries: Signal<Vec<TcssRegistry>>,
    started: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selection = expect_context::<TcssSelection>();
    let sync = Action::new({
        let account = account.clone();
        move |asked: &Asked| {
            let (account, request) = (account.clone(), asked.request());
            async move { tcss_sync(account, request, Some(new_key())).await }
        }
    });
    Effect::new(move |_| {
        if matches!(sync.value().get(), Some(Ok(_))) {
            selection.0.set(BTreeSet::new());
            started.run(());
        }
    });
    let dialog = NodeRef::<Dialog>::new();
    let asked = RwSignal::new(None::<Asked>);
    let ask = move |what: Asked| {
        asked.set(Some(what));
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let confirm = move |_| {
        if let Some(what) = asked.get_untracked() {
            sync.dispatch(what);
        }
        close();
    };
    let busy = sync.pending();
    let selected = move || selection.0.with(BTreeSet::len);
    let empty = move || registries.with(Vec::is_empty);
    view! {
        <div class="launch-bar" role="group" aria-label=move || t_string!(i18n, sync_label)>
            <button
                type="button"
                class="primary"
                disabled=move || busy.get() || empty()
                on:click=move |_| ask(Asked::All)
            >
                {t!(i18n, sync_all)}
            </button>
            <button
                type="button"
                class="secondary"
                disabled=move || busy.get() || selected() == 0
                on:click=move |_| {
                    ask(Asked::Chosen(selection.0.with_untracked(|s| s.iter().copied().collect())))
                }
            >
                {move || t_string!(i18n, sync_selected, count = selected()).to_string()}
            </button>
        </div>
        {move || {
            sync.value()
                .get()
                .map(|result| match result {
                    Ok(_) => view! { <p class="notice ok" role="status">{t!(i18n, tcss_sync_started)}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })
        }}
        <dialog
            node_ref=dialog
            class="confirm"
            aria-labelledby="tcss-sync-title"
            aria-describedby="tcss-sync-what"
            on:close=move |_| asked.set(None)
        >
            <h3 id="tcss-sync-title">{t!(i18n, tcss_sync_confirm_title)}</h3>
            {
                let account = account.clone();
                move || {
                    let what = asked.get()?;
                    let intro = match what {
                        Asked::All => t_string!(i18n, tcss_sync_confirm_all, account = &account).to_string(),
                        Asked::Chosen(_) => t_string!(i18n, tcss_sync_confirm_some, account = &account).to_string(),
                    };
                    let names = registries.with(|r| what.names(r));
                    Some(view! {
                        <p id="tcss-sync-what">{intro}</p>
                        <ul class="launch-list">
                            {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    })
                }
            }
            <div class="dialog-actions">
                <button type="button" class="secondary" autofocus on:click=move |_| close()>
                    {t!(i18n, cancel)}
                </button>
                <button type="button" class="primary" on:click=confirm>
                    {t!(i18n, tcss_sync_confirm)}
                </button>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(id: i64, name: &str) -> TcssRegistry {
        TcssRegistry {
            registry_id: id,
            name: name.to_owned(),
            ..TcssRegistry::default()
        }
    }

    #[test]
    fn a_confirmation_names_what_the_request_syncs() {
        let list = [registry(1, "tcr-prod"), registry(3, "harbor-prod")];
        let chosen = Asked::Chosen(vec![3]);
        assert_eq!(chosen.names(&list), ["harbor-prod"]);
        assert_eq!(
            serde_json::to_value(chosen.request()).expect("ok"),
            serde_json::json!({"RegistryIds": [3]})
        );
        assert_eq!(Asked::All.names(&list), ["tcr-prod", "harbor-prod"]);
        assert_eq!(
            serde_json::to_value(Asked::All.request()).expect("ok"),
            serde_json::json!({"All": true})
        );
    }
}
