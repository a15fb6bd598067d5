use crate::error::AppError;
use leptos::prelude::*;

/// An error, what to do about it, and the upstream request id to quote.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let request_id = error.request_id().map(str::to_owned);
    let detail = match &error {
        AppError::UpstreamRejected { message, .. }
        | AppError::AuthRejected { message, .. }
        | AppError::ClockSkew { message, .. } => Some(message.clone()),
        _ => None,
    };
    // A session that ended while the page was open (signed out elsewhere,
    // expired, user disabled): go to the sign-in page, which brings the
    // user back here; the link is for when that cannot happen.
    let sign_in = matches!(error, AppError::Unauthenticated).then(|| {
        let here = leptos_router::hooks::use_location();
        let next = format!(
            "{}{}",
            here.pathname.get_untracked(),
            here.search.get_untracked()
        );
        let href = format!("/login?next={}", crate::format::url_encode(&next));
        let target = href.clone();
        Effect::new(move |_| {
            let _ = window().location().set_href(&target);
        });
        view! { <p class="notice-detail"><a href=href rel="external">"Sign in again"</a></p> }
    });
    view! {
        <div class="notice error" role="alert">
            <p class="notice-title">{error.to_string()}</p>
            {sign_in}
            {detail.map(|d| view! { <p class="notice-detail">{d}</p> })}
            {request_id.map(|id| view! { <p class="notice-id">"Request ID: " <code>{id}</code></p> })}
        </div>
    }
}
