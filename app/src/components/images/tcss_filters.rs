//! The image filters of a TCSS account: a GET form, so the filters live
//! in the URL (shared links and reloads keep them) and work without
//! JavaScript.

use super::tcss_query::{STATUSES, TcssImageFilters};
use crate::format::tcss_status_label;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn TcssFilterForm(filters: TcssImageFilters, account: String) -> impl IntoView {
    let i18n = use_i18n();
    let clear = format!("/images?account={}", crate::format::url_encode(&account));
    let status = filters.scan_status.clone();
    view! {
        <form method="get" action="/images" class="filters" aria-label=move || t_string!(i18n, filters_label)>
            <input type="hidden" name="account" value=account />
            <div class="field">
                <label for="f-namespace">{t!(i18n, col_namespace)}</label>
                <input id="f-namespace" name="namespace" maxlength="128" value=filters.namespace.clone() />
            </div>
            <div class="field">
                <label for="f-name">{t!(i18n, filters_image_name)}</label>
                <input id="f-name" name="image_name" maxlength="128" value=filters.image_name.clone() />
            </div>
            <div class="field">
                <label for="f-tag">{t!(i18n, col_tag)}</label>
                <input id="f-tag" name="image_tag" maxlength="128" value=filters.image_tag.clone() />
            </div>
            <div class="field">
                <label for="f-status">{t!(i18n, col_scan_status)}</label>
                <select id="f-status" name="scan_status">
                    <option value="" selected=status.is_empty()>{t!(i18n, filters_any)}</option>
                    {STATUSES
                        .iter()
                        .map(|s| view! {
                            <option value=*s selected=status == *s>{tcss_status_label(i18n, s)}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <fieldset class="checks">
                <legend>{t!(i18n, filters_only_images_that)}</legend>
                <label>
                    <input type="checkbox" name="latest" value="1" checked=filters.latest_only />
                    {t!(i18n, filters_latest)}
                </label>
                <label>
                    <input type="checkbox" name="risky" value="1" checked=filters.risky_only />
                    {t!(i18n, filters_risky)}
                </label>
            </fieldset>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                <a href=clear class="link">{t!(i18n, filters_clear)}</a>
            </div>
        </form>
    }
}
