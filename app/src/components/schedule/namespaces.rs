//! The timing scan's namespaces, ticked from the ones the account's
//! registries hold (`tcss/namespaces`) rather than typed. Namespaces the
//! schedule names that the list no longer has stay, ticked, until unticked.

use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::server_fns::tcss::tcss_namespaces;
use leptos::prelude::*;
use scanport_wire::tcss::DescribeNamespacesRequest;

/// The most the service answers in one page.
const PAGE: i64 = 100;
/// Pages read at most (10,000 namespaces), so a runaway total stays cheap.
const MAX_PAGES: i64 = 100;

/// Every namespace of the account, page by page.
async fn all_namespaces(account: String) -> Result<Vec<String>, AppError> {
    let mut names = Vec::new();
    for page in 0..MAX_PAGES {
        let request = DescribeNamespacesRequest {
            offset: Some(page * PAGE),
            limit: Some(PAGE),
            filters: None,
        };
        let answer = tcss_namespaces(account.clone(), request).await?;
        let got = answer.namespace_list.len();
        names.extend(answer.namespace_list);
        if got == 0 || i64::try_from(names.len()).unwrap_or(i64::MAX) >= answer.total_count {
            break;
        }
    }
    Ok(names)
}

/// The namespaces to show: the account's, then the chosen ones it lacks.
fn choices(listed: Vec<String>, chosen: &[String]) -> Vec<String> {
    let mut all = listed;
    for name in chosen {
        if !all.contains(name) {
            all.push(name.clone());
        }
    }
    all
}

/// Checkboxes bound to `chosen`. The list is read once the page is
/// interactive (the form needs JavaScript anyway).
#[component]
pub fn NamespacePicker(account: String, chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let load = Action::new(move |account: &String| all_namespaces(account.clone()));
    Effect::new(move |_| {
        load.dispatch(account.clone());
    });
    let toggle = move |name: String| {
        chosen.update(|list| {
            if let Some(at) = list.iter().position(|n| *n == name) {
                list.remove(at);
            } else {
                list.push(name);
            }
        });
    };
    move || {
        match load.value().get() {
        None => view! { <p class="loading" role="status">{t!(i18n, schedule_form_namespaces_loading)}</p> }
            .into_any(),
        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        Some(Ok(listed)) => {
            let all = choices(listed, &chosen.get_untracked());
            if all.is_empty() {
                return view! { <p class="hint">{t!(i18n, schedule_form_namespaces_none)}</p> }
                    .into_any();
            }
            all.into_iter()
                .map(|name| {
                    let checked = name.clone();
                    let flip = name.clone();
                    view! {
                        <label>
                            <input
                                type="checkbox"
                                name="namespace"
                                prop:checked=move || chosen.with(|c| c.contains(&checked))
                                on:change=move |_| toggle(flip.clone())
                            />
                            {name}
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
    }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_namespaces_the_list_lacks_stay_offered() {
        let listed = vec!["payments".to_owned(), "web".to_owned()];
        assert_eq!(
            choices(listed, &["web".to_owned(), "gone".to_owned()]),
            ["payments", "web", "gone"]
        );
    }
}
