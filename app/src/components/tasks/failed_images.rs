use crate::i18n::*;
use leptos::prelude::*;
use scanport_wire::hss::FailedImage;

/// A documented scan failure code (a task's `failed_reason`, an image's
/// `scan_failed_desc`) in plain words, in `locale`; a code the SDK does
/// not list reads as a general sentence with the code. (The CSV export
/// uses [`reason_text`], English.)
pub fn reason_text_in(locale: Locale, reason: Option<&str>) -> String {
    let text = match reason.unwrap_or("unknown_error") {
        "unknown_error" => td_string!(locale, fail_unknown_error),
        "authentication_failed" => td_string!(locale, fail_authentication_failed),
        "download_failed" => td_string!(locale, fail_download_failed),
        "image_over_sized" | "image_oversized" => td_string!(locale, fail_image_oversized),
        "failed_to_scan_vulnerability" => td_string!(locale, fail_scan_vulnerability),
        "failed_to_scan_file" => td_string!(locale, fail_scan_file),
        "failed_to_scan_software" => td_string!(locale, fail_scan_software),
        "failed_to_check_sensitive_information" => td_string!(locale, fail_check_sensitive),
        "failed_to_check_baseline" => td_string!(locale, fail_check_baseline),
        "failed_to_check_software_compliance" => td_string!(locale, fail_check_compliance),
        "failed_to_query_basic_image_information" => td_string!(locale, fail_query_basic_info),
        "response_timed_out" => td_string!(locale, fail_response_timed_out),
        "database_error" => td_string!(locale, fail_database_error),
        "failed_to_send_the_scan_request" => td_string!(locale, fail_send_request),
        "get_detail_info_not_found" => td_string!(locale, fail_detail_not_found),
        "image_layer_over_sized" => td_string!(locale, fail_layer_oversized),
        "schema_v1_not_support" => td_string!(locale, fail_schema_v1),
        "access_swr_failed" => td_string!(locale, fail_access_swr),
        "swr_authentication_error" => td_string!(locale, fail_swr_authorization),
        "failed_to_check_build_cmd" => td_string!(locale, fail_check_build_cmd),
        other => return td_string!(locale, fail_unknown_code, code = other).to_string(),
    };
    text.to_owned()
}

/// A documented `failed_reason` in plain English words.
pub fn reason_text(reason: Option<&str>) -> String {
    reason_text_in(Locale::en, reason)
}

/// Failed images grouped by reason (in `locale`), most frequent first.
pub fn group_by_reason(locale: Locale, images: &[FailedImage]) -> Vec<(String, Vec<FailedImage>)> {
    let mut groups: Vec<(String, Vec<FailedImage>)> = Vec::new();
    for image in images {
        let reason = reason_text_in(locale, image.failed_reason.as_deref());
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, list)) => list.push(image.clone()),
            None => groups.push((reason, vec![image.clone()])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    groups
}

/// Which tasks' failed images are open, kept across live re-renders.
#[derive(Debug, Clone, Copy)]
pub struct OpenFailures(pub RwSignal<Vec<String>>);

/// Whether a `<details>` element is open, from its toggle event.
#[cfg(feature = "hydrate")]
fn is_open(event: &leptos::ev::Event) -> Option<bool> {
    let target = event.target()?;
    js_sys::Reflect::get(&target, &"open".into())
        .ok()?
        .as_bool()
}

#[cfg(not(feature = "hydrate"))]
fn is_open(_: &leptos::ev::Event) -> Option<bool> {
    None
}

/// A task's failed images, expandable (a `<details>`, so it works without
/// JavaScript): a count per reason, then each image.
#[component]
pub fn FailedImages(
    task_id: String,
    images: Vec<FailedImage>,
    columns: usize,
    /// Where this task's failed images download as CSV.
    #[prop(optional_no_strip)]
    csv: Option<String>,
) -> impl IntoView {
    let open_set = use_context::<OpenFailures>().map(|o| o.0);
    let open = {
        let id = task_id.clone();
        move || open_set.is_some_and(|set| set.with(|s| s.contains(&id)))
    };
    let on_toggle = move |event: leptos::ev::Event| {
        let (Some(set), Some(now_open)) = (open_set, is_open(&event)) else {
            return;
        };
        set.update(|s| {
            s.retain(|t| *t != task_id);
            if now_open {
                s.push(task_id.clone());
            }
        });
    };
    let i18n = use_i18n();
    let summary = {
        let images = images.clone();
        move || {
            let locale = i18n.get_locale();
            group_by_reason(locale, &images)
                .iter()
                .map(|(reason, list)| format!("{} × {}", list.len(), reason.to_lowercase()))
                .collect::<Vec<_>>()
                .join(td_string!(locale, list_separator))
        }
    };
    let count = images.len();
    let heading = move || {
        if count == 1 {
            t_string!(i18n, failed_images_one).to_owned()
        } else {
            t_string!(i18n, failed_images_many, count = count).to_string()
        }
    };
    let groups = move || {
        group_by_reason(i18n.get_locale(), &images)
            .into_iter()
            .map(|(reason, list)| {
                view! {
                    <section class="reason-group">
                        <h3>{format!("{reason} ({})", list.len())}</h3>
                        <table class="failed-images">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, col_registry)}</th>
                                    <th scope="col">{t!(i18n, col_namespace)}</th>
                                    <th scope="col">{t!(i18n, col_image)}</th>
                                    <th scope="col">{t!(i18n, col_tag)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|i| {
                                        view! {
                                            <tr>
                                                <td>{i.registry_name.or(i.registry_type).unwrap_or_default()}</td>
                                                <td>{i.namespace}</td>
                                                <td>{i.image_name}</td>
                                                <td>{i.image_version}</td>
                                            </tr>
                                        }
                                        .into_any()
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
                .into_any()
            })
            .collect_view()
    };
    view! {
        <tr class="failures">
            <td colspan=columns.to_string()>
                <details open=open on:toggle=on_toggle>
                    <summary>
                        {heading}
                        <span class="reasons">{summary}</span>
                    </summary>
                    {csv.map(|href| view! { <a class="download" href=href download="">{t!(i18n, failed_images_csv)}</a> })}
                    {groups}
                </details>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(reason: &str) -> FailedImage {
        FailedImage {
            failed_reason: Some(reason.to_owned()),
            ..FailedImage::default()
        }
    }

    #[test]
    fn groups_by_plain_reason_most_frequent_first() {
        let images = [
            failed("download_failed"),
            failed("image_oversized"),
            failed("download_failed"),
            failed("image_over_sized"),
            failed("download_failed"),
        ];
        let groups = group_by_reason(Locale::en, &images);
        assert_eq!(
            groups.len(),
            2,
            "both spellings of oversized are one reason"
        );
        assert_eq!(groups[0].0, "The image could not be downloaded");
        assert_eq!(groups[0].1.len(), 3);
        assert_eq!(groups[1].1.len(), 2);
    }

    #[test]
    fn unknown_codes_read_as_a_sentence_with_the_code() {
        assert_eq!(
            reason_text(Some("new_kind_of_failure")),
            "The scan failed (code: new_kind_of_failure)"
        );
        assert_eq!(reason_text(None), "Unknown error");
        assert_eq!(
            reason_text_in(Locale::zh, Some("download_failed")),
            "镜像下载失败"
        );
        assert_eq!(
            reason_text_in(Locale::es, Some("new_kind_of_failure")),
            "El análisis falló (código: new_kind_of_failure)"
        );
    }

    #[test]
    fn every_code_the_sdk_documents_has_words_in_every_language() {
        // `scan_failed_desc` / `scan_failed_code` of the SDK's models.
        let codes = [
            "unknown_error",
            "authentication_failed",
            "download_failed",
            "image_over_sized",
            "image_oversized",
            "get_detail_info_not_found",
            "image_layer_over_sized",
            "schema_v1_not_support",
            "access_swr_failed",
            "swr_authentication_error",
            "failed_to_scan_vulnerability",
            "failed_to_scan_file",
            "failed_to_scan_software",
            "failed_to_check_sensitive_information",
            "failed_to_check_baseline",
            "failed_to_check_software_compliance",
            "failed_to_query_basic_image_information",
            "failed_to_check_build_cmd",
            "response_timed_out",
            "database_error",
            "failed_to_send_the_scan_request",
        ];
        for locale in [Locale::en, Locale::es, Locale::zh] {
            let general = reason_text_in(locale, Some("not_a_documented_code"));
            for code in codes {
                let text = reason_text_in(locale, Some(code));
                assert!(!text.contains(code), "{locale:?} {code}: {text}");
                assert_ne!(
                    text.split('(').next(),
                    general.split('(').next(),
                    "{locale:?} {code}"
                );
            }
        }
        assert_eq!(
            reason_text(Some("schema_v1_not_support")),
            "Schema V1 images cannot be scanned; push the image again as Schema V2"
        );
    }
}
