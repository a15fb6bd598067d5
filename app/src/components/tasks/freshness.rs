use crate::format::utc_time;
use crate::i18n::*;
use crate::live::Connection;
use leptos::prelude::*;

/// How fresh a live snapshot is: when the service answered, when the
/// server looks again, and the last refresh's error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    pub fetched_at_ms: i64,
    pub next_refresh_ms: i64,
    pub error: Option<String>,
}

/// `5 s`, `3 min`, `2 h` for a duration in ms, in `locale` (rounded down,
/// never negative): `crate::format::span` in the page's language.
pub fn span(locale: Locale, ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    match secs {
        0..=59 => td_string!(locale, span_secs, n = secs).to_string(),
        60..=3599 => td_string!(locale, span_mins, n = secs / 60).to_string(),
        _ => td_string!(locale, span_hours, n = secs / 3600).to_string(),
    }
}

/// How fresh the shown list is, when it will refresh, and whether the live
/// stream is up. Without JavaScript: the time of the data and a refresh link.
#[component]
pub fn Freshness(
    stamp: Signal<Stamp>,
    #[prop(into)] now: Signal<Option<i64>>,
    #[prop(into)] connection: Signal<Connection>,
    refresh_href: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let s = stamp.get();
        let locale = i18n.get_locale();
        match now.get() {
            None => td_string!(locale, fresh_updated, time = utc_time(s.fetched_at_ms)).to_string(),
            Some(now) => {
                let age = td_string!(locale, fresh_age, age = span(locale, now - s.fetched_at_ms))
                    .to_string();
                if s.next_refresh_ms > now {
                    let wait = span(locale, s.next_refresh_ms - now + 999);
                    td_string!(locale, fresh_next, age = &age, wait = wait).to_string()
                } else {
                    td_string!(locale, fresh_refreshing, age = &age).to_string()
                }
            }
        }
    };
    let indicator = move || match connection.get() {
        Connection::Static => {
            view! { <a class="refresh" href=refresh_href.get()>{t!(i18n, fresh_refresh)}</a> }
                .into_any()
        }
        Connection::Connecting => {
            view! { <span class="conn connecting">{t!(i18n, fresh_connecting)}</span> }.into_any()
        }
        Connection::Live => {
            view! { <span class="conn live">{t!(i18n, fresh_live)}</span> }.into_any()
        }
        Connection::Reconnecting => {
            view! { <span class="conn reconnecting">{t!(i18n, fresh_reconnecting)}</span> }
                .into_any()
        }
    };
    let stale = move || {
        stamp.with(|s| s.error.clone()).map(|e| {
            view! {
                <p class="notice warn" role="status">
                    {move || t_string!(i18n, fresh_failed, error = &e).to_string()}
                </p>
            }
        })
    };
    view! {
        <div class="freshness" aria-live="polite">
            <span class="as-of">{text}</span>
            {indicator}
        </div>
        {stale}
    }
}
