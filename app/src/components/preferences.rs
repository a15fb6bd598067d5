//! The header's language and theme switch. A form posted to
//! `/preferences` (cookies, then back to this page) so it works without
//! JavaScript; once hydrated, a theme change applies in place and a language change
//! reloads the page in the new language.

use crate::i18n::*;
use crate::prefs::{THEME_COOKIE, Theme};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::str::FromStr;

/// The theme this page was rendered with: the request's cookie on the
/// server, the `<html data-theme>` the server wrote in the browser.
pub fn initial_theme() -> Theme {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|h| h.to_str().ok())
                    .find_map(|h| crate::prefs::cookie_value(h, THEME_COOKIE))
                    .and_then(Theme::parse)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("data-theme"))
            .and_then(|v| Theme::parse(&v))
            .unwrap_or_default()
    }
}

/// Applies a theme in the browser: the attribute the CSS selects on, and
/// the cookie the server reads on the next load.
#[cfg(feature = "hydrate")]
fn apply_theme(theme: Theme) {
    use wasm_bindgen::JsCast;
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = match theme.attribute() {
            Some(value) => root.set_attribute("data-theme", value),
            None => root.remove_attribute("data-theme"),
        };
    }
    let secure = window().location().protocol().is_ok_and(|p| p == "https:");
    if let Ok(html) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html.set_cookie(&crate::prefs::set_cookie(
            THEME_COOKIE,
            theme.as_str(),
            secure,
        ));
    }
}

#[cfg(not(feature = "hydrate"))]
fn apply_theme(_theme: Theme) {}

/// Switches the language: the cookie the server reads, then a reload, so
/// the server draws the page in it. Text is rendered once per page (see
/// `crate::i18n::t`), which keeps the WASM small; a language change is rare.
#[cfg(feature = "hydrate")]
fn apply_language(locale: Locale) {
    use wasm_bindgen::JsCast;
    let secure = window().location().protocol().is_ok_and(|p| p == "https:");
    if let Ok(html) = document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = html.set_cookie(&crate::prefs::set_cookie(
            crate::prefs::LANG_COOKIE,
            locale.as_str(),
            secure,
        ));
    }
    let _ = window().location().reload();
}

#[cfg(not(feature = "hydrate"))]
fn apply_language(_locale: Locale) {}

/// A language's name in itself, as language menus show it.
fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::es => "Español",
        Locale::zh => "简体中文",
    }
}

#[component]
pub fn Preferences() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let hydrated = expect_context::<crate::components::common::moment::Hydrated>().0;
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
    let theme = initial_theme();
    let locale = i18n.get_locale_untracked();
    let languages = Locale::get_all()
        .iter()
        .map(
            |l| view! { <option value=l.as_str() selected=*l == locale>{native_name(*l)}</option> },
        )
        .collect_view();
    let theme_option = move |t: Theme| {
        let label = move || match t {
            Theme::System => t_string!(i18n, theme_system),
            Theme::Light => t_string!(i18n, theme_light),
            Theme::Dark => t_string!(i18n, theme_dark),
        };
        view! { <option value=t.as_str() selected=t == theme>{label}</option> }
    };
    view! {
        <form method="post" action="/preferences" class="prefs">
            <input type="hidden" name="back" value=back />
            <label for="pref-lang" class="sr-only">{t!(i18n, pref_language)}</label>
            <select
                id="pref-lang"
                name="lang"
                on:change=move |ev| {
                    if let Ok(l) = Locale::from_str(&event_target_value(&ev)) {
                        apply_language(l);
                    }
                }
            >
                {languages}
            </select>
            <label for="pref-theme" class="sr-only">{t!(i18n, pref_theme)}</label>
            <select
                id="pref-theme"
                name="theme"
                on:change=move |ev| {
                    if let Some(t) = Theme::parse(&event_target_value(&ev)) {
                        apply_theme(t);
                    }
                }
            >
                {Theme::ALL.into_iter().map(theme_option).collect_view()}
            </select>
            // Without JavaScript the choice is sent with this button.
            <button type="submit" class="secondary small" hidden=move || hydrated.get()>
                {t!(i18n, pref_apply)}
            </button>
        </form>
    }
}
