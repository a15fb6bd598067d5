//! The schedule's pure rules, shared by the server rendering and the
//! browser: the schedule as a sentence, when it runs next, and the edit
//! form's text turned into an `UpdateImageRegistryTimingScanTask` request.
//!
//! Tencent's console schedules in China Standard Time (UTC+8, no daylight
//! saving): `ScanTime`, `ScanEndTime` and `LastScanTime` are all read in it.

use crate::i18n::*;
use scanport_wire::FieldError;
use scanport_wire::tcss::{
    ImageInfo, ScanType, TimingScanTask, UpdateTimingScanRequest, validate_clock_time,
};

/// The zone of every schedule time, as the page states it.
pub const ZONE: &str = "UTC+8";
/// UTC+8 in milliseconds.
const OFFSET_MS: i64 = 8 * 3_600_000;
use crate::dates::DAY_MS;

/// For the sentence: `03:00:00` and `03:00` as `03:00`; a time with
/// seconds keeps them; anything else is shown as the service sent it.
pub fn clock_hm(time: &str) -> String {
    match time.strip_suffix(":00") {
        Some(hm) if time.len() == 8 && validate_clock_time("t", time).is_ok() => hm.to_owned(),
        _ => time.to_owned(),
    }
}

/// A scan kind in the sentence: `CVE`, `virus`, `risk`; a kind this
/// console does not know is shown as the service names it.
pub fn scan_type_label(locale: Locale, kind: &str) -> String {
    match ScanType::parse(kind) {
        Some(ScanType::Cve) => td_string!(locale, sched_kind_cve).to_owned(),
        Some(ScanType::Virus) => td_string!(locale, sched_kind_virus).to_owned(),
        Some(ScanType::Risk) => td_string!(locale, sched_kind_risk).to_owned(),
        None => kind.to_owned(),
    }
}

/// A registry kind by its product name (`TCR`, `Harbor`, `JFrog`, …); a
/// kind without one (`other-tcr`, or one this console does not know) is
/// shown as the service names it.
pub fn registry_type_label(kind: &str) -> String {
    match kind {
        "tcr" => "TCR",
        "ccr" => "CCR",
        "harbor" => "Harbor",
        "quay" => "Quay",
        "jfrog" => "JFrog",
        "aws" => "AWS ECR",
        "azure" => "Azure ACR",
        other => other,
    }
    .to_owned()
}

/// The registry kinds the form has a box for; the schedule's other kinds
/// get a box of their own while it holds them.
pub const FORM_REGISTRY_TYPES: [&str; 3] = ["tcr", "ccr", "harbor"];

/// The last scan's result in words.
pub fn scan_result_label(locale: Locale, result: &str) -> String {
    let text = match result {
        "Success" => td_string!(locale, sched_result_success),
        "InsufficientLicense" => td_string!(locale, sched_result_license),
        "ImageNeedIsEmpty" => td_string!(locale, sched_result_no_image),
        "InternalError" => td_string!(locale, sched_result_internal),
        other => other,
    };
    text.to_owned()
}

/// `a`, `a and b`, `a, b and c` (in Chinese `a、b、c`).
pub fn join_and(locale: Locale, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => {
            let rest = rest.join(td_string!(locale, list_separator));
            td_string!(locale, list_and, rest = rest, last = last).to_string()
        }
    }
}

/// The schedule as a phrase, whether or not it is on:
/// `every 1 day at 03:00 (UTC+8), CVE and virus, latest versions, all images`.
/// (Registry kinds are listed beside it, not in it.)
pub fn describe(locale: Locale, task: &TimingScanTask) -> String {
    let period = if task.scan_period == 1 {
        td_string!(locale, sched_every_day).to_owned()
    } else {
        td_string!(locale, sched_every_days, n = task.scan_period).to_string()
    };
    let start = clock_hm(&task.scan_time);
    let when = match task.scan_end_time.as_deref().filter(|e| !e.is_empty()) {
        Some(end) => td_string!(
            locale,
            sched_from_to,
            start = &start,
            end = clock_hm(end),
            zone = ZONE
        )
        .to_string(),
        None => td_string!(locale, sched_at, time = &start, zone = ZONE).to_string(),
    };
    let kinds: Vec<String> = task
        .scan_type
        .iter()
        .map(|k| scan_type_label(locale, k))
        .collect();
    let kinds = if kinds.is_empty() {
        td_string!(locale, sched_no_kind).to_owned()
    } else {
        join_and(locale, &kinds)
    };
    let versions = if task.latest {
        td_string!(locale, sched_latest_versions)
    } else {
        td_string!(locale, sched_all_versions)
    };
    let mut scope = match task.scan_scope {
        1 => match task.images.len() + task.id.len() {
            1 => td_string!(locale, sched_chosen_one).to_owned(),
            n => td_string!(locale, sched_chosen_many, count = n).to_string(),
        },
        2 => td_string!(locale, sched_recommended).to_owned(),
        _ => td_string!(locale, sched_all_images).to_owned(),
    };
    if task.container_running {
        scope = td_string!(locale, sched_of_running, scope = &scope).to_string();
    }
    match task.namespace.as_slice() {
        [] => {}
        [one] => {
            scope =
                td_string!(locale, sched_in_namespace, scope = &scope, namespace = one).to_string();
        }
        many => {
            let namespaces = join_and(locale, many);
            scope = td_string!(
                locale,
                sched_in_namespaces,
                scope = &scope,
                namespaces = namespaces
            )
            .to_string();
        }
    }
    if !task.exclude_image_asset_ids.is_empty() {
        let excluded = match task.exclude_image_asset_ids.len() {
            1 => td_string!(locale, sched_image_one).to_owned(),
            n => td_string!(locale, sched_images_many, count = n).to_string(),
        };
        scope = td_string!(locale, sched_except, scope = &scope, excluded = excluded).to_string();
    }
    td_string!(
        locale,
        sched_phrase,
        period = period,
        when = when,
        kinds = kinds,
        versions = versions,
        scope = scope
    )
    .to_string()
}

/// The schedule as the page's sentence: `Every 1 day at 03:00 (UTC+8), …,
/// all images.`, or, when it is off, `Off. When on: every 1 day …`.
pub fn sentence(locale: Locale, task: &TimingScanTask) -> String {
    on_off_sentence(locale, task.enable, describe(locale, task))
}

/// A schedule's phrase as a sentence: capitalised when on, after "Off.
/// When on:" when off. Both clouds' schedules read this way.
pub fn on_off_sentence(locale: Locale, enabled: bool, phrase: String) -> String {
    if enabled {
        let mut chars = phrase.chars();
        let first: String = chars
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        let phrase = format!("{first}{}", chars.as_str());
        td_string!(locale, sched_sentence_on, phrase = phrase).to_string()
    } else {
        td_string!(locale, sched_sentence_off, phrase = phrase).to_string()
    }
}

/// Seconds into the day of `HH:MM` or `HH:MM:SS`.
fn clock_secs(time: &str) -> Option<i64> {
    validate_clock_time("t", time).ok()?;
    let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m) = (parts.next()??, parts.next()??);
    let s = parts.next().flatten().unwrap_or(0);
    Some(h * 3600 + m * 60 + s)
}

/// `YYYY-MM-DD HH:MM:SS` read in UTC+8, as ms since the epoch. `None` for
/// anything else, including the `0000-00-00 00:00:00` of "never".
pub fn parse_tencent_time(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once(' ')?;
    let day = crate::dates::day_start_ms(date).filter(|ms| *ms >= 0)?;
    Some(day + clock_secs(time)? * 1000 - OFFSET_MS)
}

/// When the schedule runs next, in ms since the epoch; `None` when it is
/// off or its time cannot be read.
///
/// The rule, in UTC+8 calendar days: the earliest day is the last scan's
/// day plus `ScanPeriod` days (today, without a readable `LastScanTime`);
/// the next run is `ScanTime` on that day, or, if that moment has passed
/// (a run was missed or the schedule just changed), the first `ScanTime`
/// at or after `now`. Days rather than instants: a scan that started a
/// little after `ScanTime` (its `LastScanTime` is 03:00:20) is still due at
/// 03:00 a period later, not a day after that.
pub fn next_run(task: &TimingScanTask, now_ms: i64) -> Option<i64> {
    if !task.enable || task.scan_period < 1 {
        return None;
    }
    let at = clock_secs(&task.scan_time)? * 1000;
    // The UTC+8 day (days since the epoch) of an instant, and back.
    let day_of = |ms: i64| (ms + OFFSET_MS).div_euclid(DAY_MS);
    let run_on = |day: i64| day * DAY_MS + at - OFFSET_MS;
    let earliest = task
        .last_scan_time
        .as_deref()
        .and_then(parse_tencent_time)
        .map_or_else(|| day_of(now_ms), |last| day_of(last) + task.scan_period);
    let candidate = run_on(earliest);
    if candidate >= now_ms {
        return Some(candidate);
    }
    let today = run_on(day_of(now_ms));
    Some(if today >= now_ms {
        today
    } else {
        today + DAY_MS
    })
}

/// The form's scope choice, `ScanScope`.
pub const SCOPES: [(i64, &str, &str); 3] = [
    (0, "All images", "Every image in the registries below."),
    (1, "Chosen images", "Only the images listed (one per line)."),
    (
        2,
        "Recommended images",
        "The images Tencent Cloud recommends scanning.",
    ),
];

/// The edit form's contents, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub enable: bool,
    pub period: String,
    /// `HH:MM` or `HH:MM:SS` (UTC+8), as the service holds it or as typed.
    pub time: String,
    /// Likewise, or empty.
    pub end_time: String,
    pub cve: bool,
    pub virus: bool,
    pub risk: bool,
    /// `ScanScope` as text: `0`, `1` or `2`.
    pub scope: String,
    /// One image per line: `namespace/name:tag` or an image asset ID.
    pub images: String,
    pub latest: bool,
    pub container_running: bool,
    pub tcr: bool,
    pub ccr: bool,
    pub harbor: bool,
    /// The schedule's other registry kinds (an open set) and whether each
    /// stays: kept and sent back as they came.
    pub other_registries: Vec<(String, bool)>,
    /// Chosen from the registries' namespaces.
    pub namespaces: Vec<String>,
    /// Comma-separated image asset IDs.
    pub exclude: String,
}

/// An image as a line of the form: `namespace/name:tag`.
pub fn image_line(image: &ImageInfo) -> String {
    let name = image.image_name.as_deref().unwrap_or_default();
    let tag = image.image_tag.as_deref().unwrap_or_default();
    match image.namespace.as_deref().filter(|n| !n.is_empty()) {
        Some(ns) => format!("{ns}/{name}:{tag}"),
        None => format!("{name}:{tag}"),
    }
}

fn has(list: &[String], value: &str) -> bool {
    list.iter().any(|v| v == value)
}

impl Draft {
    /// The form filled with the schedule as the service holds it.
    pub fn from_task(task: &TimingScanTask) -> Self {
        let mut lines: Vec<String> = task.images.iter().map(image_line).collect();
        lines.extend(task.id.iter().map(i64::to_string));
        let ids: Vec<String> = task
            .exclude_image_asset_ids
            .iter()
            .map(i64::to_string)
            .collect();
        Self {
            enable: task.enable,
            period: task.scan_period.to_string(),
            // As the service holds them, so an untouched form sends them
            // back unchanged, `HH:MM` or `HH:MM:SS`.
            time: task.scan_time.clone(),
            end_time: task.scan_end_time.clone().unwrap_or_default(),
            cve: has(&task.scan_type, "CVE"),
            virus: has(&task.scan_type, "VIRUS"),
            risk: has(&task.scan_type, "RISK"),
            scope: task.scan_scope.clamp(0, 2).to_string(),
            images: lines.join("\n"),
            latest: task.latest,
            container_running: task.container_running,
            tcr: has(&task.registry_type, "tcr"),
            ccr: has(&task.registry_type, "ccr"),
            harbor: has(&task.registry_type, "harbor"),
            other_registries: task
                .registry_type
                .iter()
                .filter(|k| !FORM_REGISTRY_TYPES.contains(&k.as_str()))
                .map(|k| (k.clone(), true))
                .collect(),
            namespaces: task.namespace.clone(),
            exclude: ids.join(", "),
        }
    }

    /// The request this form sends, or the first field it gets wrong (the
    /// very checks the server makes, then its own parsing), with the
    /// form's own refusals in English. `known` are the schedule's current
    /// images: a line naming one of them sends it back whole (instance,
    /// digest and all).
    pub fn to_request(&self, known: &[ImageInfo]) -> Result<UpdateTimingScanRequest, FieldError> {
        self.to_request_in(Locale::en, known)
    }

    /// [`Self::to_request`] with the form's own refusals in `locale` (the
    /// checks shared with the server, `UpdateTimingScanRequest::validate`,
    /// answer in English as the server does).
    pub fn to_request_in(
        &self,
        locale: Locale,
        known: &[ImageInfo],
    ) -> Result<UpdateTimingScanRequest, FieldError> {
        let period = self.period.trim();
        let scan_period = period.parse::<i64>().map_err(|_| {
            FieldError::new(
                "ScanPeriod",
                td_string!(locale, sched_err_period, got = period).to_string(),
            )
        })?;
        let scan_time = clock_field(locale, "ScanTime", &self.time)?;
        let end = self.end_time.trim();
        let scan_end_time = if end.is_empty() {
            None
        } else {
            Some(clock_field(locale, "ScanEndTime", end)?)
        };
        let scan_type: Vec<ScanType> = [
            (self.cve, ScanType::Cve),
            (self.virus, ScanType::Virus),
            (self.risk, ScanType::Risk),
        ]
        .into_iter()
        .filter_map(|(on, kind)| on.then_some(kind))
        .collect();
        let registry_type: Vec<String> = [self.tcr, self.ccr, self.harbor]
            .into_iter()
            .zip(FORM_REGISTRY_TYPES)
            .filter(|(on, _)| *on)
            .map(|(_, kind)| kind.to_owned())
            .chain(
                self.other_registries
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(kind, _)| kind.clone()),
            )
            .collect();
        let scope = self
            .scope
            .trim()
            .parse::<i64>()
            .map_err(|_| FieldError::new("ScanScope", td_string!(locale, sched_err_scope)))?;
        let (images, id) = parse_images(locale, &self.images, known)?;
        let namespace = self.namespaces.clone();
        let exclude_image_asset_ids = self
            .exclude
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    FieldError::new(
                        "ExcludeImageAssetIds",
                        td_string!(locale, sched_err_exclude, got = v).to_string(),
                    )
                })
            })
            .collect::<Result<Vec<i64>, FieldError>>()?;
        let request = UpdateTimingScanRequest {
            scan_period,
            enable: self.enable,
            scan_time,
            scan_type: Some(scan_type),
            images: Some(images),
            all: Some(scope == 0),
            id: Some(id),
            latest: Some(self.latest),
            container_running: Some(self.container_running),
            scan_end_time,
            scan_scope: Some(scope),
            registry_type: Some(registry_type),
            namespace: Some(namespace),
            exclude_image_asset_ids: Some(exclude_image_asset_ids),
        };
        request.validate()?;
        Ok(request)
    }
}

/// A time of day as typed: `HH:MM` or `HH:MM:SS`, sent as typed (the
/// service takes both); only a one-digit hour (`3:00`) gets its zero.
fn clock_field(locale: Locale, field: &str, typed: &str) -> Result<String, FieldError> {
    let typed = typed.trim();
    let padded = match typed.split_once(':') {
        Some((h, _)) if h.len() == 1 => format!("0{typed}"),
        _ => typed.to_owned(),
    };
    validate_clock_time(field, &padded).map_err(|_| {
        FieldError::new(
            field,
            td_string!(locale, sched_err_time, got = typed).to_string(),
        )
    })?;
    Ok(padded)
}

/// The image lines: `namespace/name:tag` lines become `Images`, number
/// lines image asset `Id`s.
fn parse_images(
    locale: Locale,
    text: &str,
    known: &[ImageInfo],
) -> Result<(Vec<ImageInfo>, Vec<i64>), FieldError> {
    let mut images = Vec::new();
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.bytes().all(|b| b.is_ascii_digit()) {
            match line.parse::<i64>() {
                Ok(id) if id > 0 => {
                    ids.push(id);
                    continue;
                }
                _ => {}
            }
        }
        let wrong = || {
            FieldError::new(
                "Images",
                td_string!(locale, sched_err_image_line, line = n + 1, got = line).to_string(),
            )
        };
        let (namespace, rest) = line.split_once('/').ok_or_else(wrong)?;
        let (name, tag) = rest.rsplit_once(':').ok_or_else(wrong)?;
        if [namespace, name, tag]
            .iter()
            .any(|p| p.is_empty() || p.contains(char::is_whitespace))
        {
            return Err(wrong());
        }
        let image = known
            .iter()
            .find(|k| image_line(k) == line)
            .cloned()
            .unwrap_or_else(|| ImageInfo {
                namespace: Some(namespace.to_owned()),
                image_name: Some(name.to_owned()),
                image_tag: Some(tag.to_owned()),
                ..ImageInfo::default()
            });
        images.push(image);
    }
    Ok((images, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sandbox's seeded schedule.
    fn seeded() -> TimingScanTask {
        TimingScanTask {
            enable: true,
            scan_time: "03:00:00".into(),
            scan_period: 1,
            scan_type: vec!["CVE".into(), "VIRUS".into()],
            all: true,
            latest: true,
            registry_type: vec!["tcr".into(), "ccr".into()],
            scan_scope: 0,
            last_scan_time: Some("2026-11-21 03:00:00".into()),
            scan_result: Some("Success".into()),
            ..TimingScanTask::default()
        }
    }

    /// `YYYY-MM-DD HH:MM:SS` UTC as ms, for expectations.
    fn utc(text: &str) -> i64 {
        parse_tencent_time(text).expect("a time") + OFFSET_MS
    }

    #[test]
    fn the_seeded_schedule_reads_as_the_issue_says() {
        let task = seeded();
        assert_eq!(
            describe(Locale::en, &task),
            "every 1 day at 03:00 (UTC+8), CVE and virus, latest versions, all images"
        );
        assert_eq!(
            sentence(Locale::en, &task),
            "Every 1 day at 03:00 (UTC+8), CVE and virus, latest versions, all images."
        );
        assert_eq!(
            sentence(Locale::es, &task),
            "Cada 1 día a las 03:00 (UTC+8), CVE y virus, versiones más recientes, todas las imágenes."
        );
        assert_eq!(
            sentence(Locale::zh, &task),
            "每 1 天 03:00（UTC+8），漏洞、木马病毒，最新版本，全部镜像。"
        );
    }

    #[test]
    fn every_part_of_the_schedule_shows() {
        let mut task = seeded();
        task.enable = false;
        task.scan_period = 7;
        task.scan_time = "22:30:15".into();
        task.scan_end_time = Some("23:45:00".into());
        task.scan_type = vec!["CVE".into(), "VIRUS".into(), "RISK".into()];
        task.latest = false;
        task.scan_scope = 1;
        task.images = vec![ImageInfo::default()];
        task.id = vec![4, 5];
        task.container_running = true;
        task.namespace = vec!["a".into(), "b".into(), "c".into()];
        task.exclude_image_asset_ids = vec![9];
        assert_eq!(
            sentence(Locale::en, &task),
            "Off. When on: every 7 days from 22:30:15 to 23:45 (UTC+8), CVE, virus and risk, \
             all versions, 3 chosen images of running containers in namespaces a, b and c except 1 image."
        );
        task.scan_scope = 2;
        task.namespace = vec!["prod".into()];
        task.exclude_image_asset_ids.clear();
        task.container_running = false;
        task.scan_type = vec!["NEWKIND".into()];
        assert_eq!(
            describe(Locale::en, &task),
            "every 7 days from 22:30:15 to 23:45 (UTC+8), NEWKIND, all versions, recommended images in namespace prod"
        );
        task.scan_type.clear();
        task.scan_scope = 1;
        task.images.clear();
        task.id = vec![1];
        assert!(
            describe(Locale::en, &task)
                .ends_with("no scan kind chosen, all versions, 1 chosen image in namespace prod")
        );
    }

    #[test]
    fn labels() {
        assert_eq!(clock_hm("03:00:00"), "03:00");
        assert_eq!(clock_hm("03:00:30"), "03:00:30");
        assert_eq!(clock_hm("03:00"), "03:00");
        assert_eq!(clock_hm("18:10"), "18:10");
        assert_eq!(clock_hm("nonsense:00"), "nonsense:00");
        assert_eq!(scan_result_label(Locale::en, "Success"), "Succeeded");
        assert_eq!(scan_result_label(Locale::en, "Brand-new"), "Brand-new");
        assert_eq!(registry_type_label("harbor"), "Harbor");
        assert_eq!(join_and(Locale::en, &[]), "");
        assert_eq!(join_and(Locale::en, &["a".into(), "b".into()]), "a and b");
        assert_eq!(
            join_and(Locale::en, &["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(
            join_and(Locale::zh, &["a".into(), "b".into(), "c".into()]),
            "a、b、c"
        );
    }

    #[test]
    fn tencent_times_are_china_standard_time() {
        // 03:00 in Beijing is 19:00 UTC the day before.
        assert_eq!(
            parse_tencent_time("2026-11-21 03:00:00"),
            Some(crate::dates::days_from_civil(2026, 11, 20) * DAY_MS + 19 * 3_600_000)
        );
        assert_eq!(parse_tencent_time("0000-00-00 00:00:00"), None);
        assert_eq!(parse_tencent_time("2026-11-21"), None);
        assert_eq!(parse_tencent_time("2026-13-01 00:00:00"), None);
        assert_eq!(parse_tencent_time("2026-11-21 24:00:00"), None);
        assert_eq!(
            crate::format::iso_utc(parse_tencent_time("2024-02-29 07:59:59").expect("a time")),
            "2024-02-28T23:59:59Z"
        );
    }

    #[test]
    fn next_run_is_a_period_after_the_last_scan_day() {
        let mut task = seeded();
        // Last scan 2026-11-21 03:00 (UTC+8); an hour later, the next is
        // the day after at 03:00 (UTC+8), 19:00 UTC on the 21st.
        let now = utc("2026-11-20 20:00:00");
        assert_eq!(next_run(&task, now), Some(utc("2026-11-21 19:00:00")));
        // Every 3 days: the 24th (UTC+8).
        task.scan_period = 3;
        assert_eq!(next_run(&task, now), Some(utc("2026-11-23 19:00:00")));
        // A last scan that started late still counts its day.
        task.scan_period = 1;
        task.last_scan_time = Some("2026-11-21 03:00:20".into());
        assert_eq!(next_run(&task, now), Some(utc("2026-11-21 19:00:00")));
        // A new time of day applies from the next due day.
        task.scan_time = "01:30:00".into();
        assert_eq!(next_run(&task, now), Some(utc("2026-11-21 17:30:00")));
    }

    #[test]
    fn a_missed_run_rolls_on_to_the_next_time_of_day_after_now() {
        let task = seeded();
        // Days later, before 03:00 (UTC+8): that very night.
        let now = utc("2026-11-25 18:59:00");
        assert_eq!(next_run(&task, now), Some(utc("2026-11-25 19:00:00")));
        // Just after: the night after.
        let now = utc("2026-11-25 19:00:01");
        assert_eq!(next_run(&task, now), Some(utc("2026-11-26 19:00:00")));
        // Exactly then: now.
        let now = utc("2026-11-25 19:00:00");
        assert_eq!(next_run(&task, now), Some(now));
    }

    #[test]
    fn no_next_run_when_off_or_unreadable_and_today_without_a_last_scan() {
        let mut task = seeded();
        task.enable = false;
        assert_eq!(next_run(&task, 0), None);
        task.enable = true;
        task.scan_time = "3 am".into();
        assert_eq!(next_run(&task, 0), None);
        task.scan_time = "03:00:00".into();
        task.last_scan_time = Some("0000-00-00 00:00:00".into());
        // 2026-11-22 12:00 UTC is 20:00 in Beijing: the next 03:00 there is
        // 19:00 UTC today.
        let now = utc("2026-11-22 12:00:00");
        assert_eq!(next_run(&task, now), Some(utc("2026-11-22 19:00:00")));
        task.last_scan_time = None;
        assert_eq!(next_run(&task, now), Some(utc("2026-11-22 19:00:00")));
    }

    #[test]
    fn the_form_round_trips_the_schedule() {
        let mut task = seeded();
        task.scan_end_time = Some("05:00:00".into());
        task.images = vec![ImageInfo {
            namespace: Some("payments".into()),
            image_name: Some("api".into()),
            image_tag: Some("v2".into()),
            instance_id: Some("tcr-1".into()),
            ..ImageInfo::default()
        }];
        task.id = vec![42];
        task.namespace = vec!["payments".into(), "web".into()];
        task.exclude_image_asset_ids = vec![7, 8];
        let draft = Draft::from_task(&task);
        assert_eq!(draft.time, "03:00:00");
        assert_eq!(draft.end_time, "05:00:00");
        assert_eq!(draft.images, "payments/api:v2\n42");
        assert_eq!(draft.namespaces, ["payments", "web"]);
        assert_eq!(draft.exclude, "7, 8");
        let request = draft.to_request(&task.images).expect("valid");
        assert_eq!(request.scan_period, 1);
        assert_eq!(request.scan_time, "03:00:00");
        assert_eq!(request.scan_end_time.as_deref(), Some("05:00:00"));
        assert_eq!(
            request.scan_type,
            Some(vec![ScanType::Cve, ScanType::Virus])
        );
        assert_eq!(
            request.registry_type,
            Some(vec!["tcr".to_owned(), "ccr".to_owned()])
        );
        // The known image goes back whole.
        assert_eq!(request.images, Some(task.images.clone()));
        assert_eq!(request.id, Some(vec![42]));
        assert_eq!(request.all, Some(true));
        assert_eq!(request.scan_scope, Some(0));
        assert_eq!(request.latest, Some(true));
        assert_eq!(request.container_running, Some(false));
        assert_eq!(
            request.namespace,
            Some(vec!["payments".into(), "web".into()])
        );
        assert_eq!(request.exclude_image_asset_ids, Some(vec![7, 8]));
    }

    #[test]
    fn hh_mm_and_hh_mm_ss_both_read_and_round_trip() {
        let mut task = seeded();
        task.scan_time = "18:10".into();
        task.scan_end_time = Some("19:30".into());
        assert_eq!(
            describe(Locale::en, &task),
            "every 1 day from 18:10 to 19:30 (UTC+8), CVE and virus, latest versions, all images"
        );
        let with_seconds = TimingScanTask {
            scan_time: "18:10:00".into(),
            ..task.clone()
        };
        // The next run reads both the same way.
        let now = utc("2026-11-20 20:00:00");
        assert_eq!(next_run(&task, now), Some(utc("2026-11-22 10:10:00")));
        assert_eq!(next_run(&task, now), next_run(&with_seconds, now));
        // An untouched form sends each back as it came.
        let request = Draft::from_task(&task).to_request(&[]).expect("valid");
        assert_eq!(
            (request.scan_time.as_str(), request.scan_end_time.as_deref()),
            ("18:10", Some("19:30"))
        );
        let request = Draft::from_task(&with_seconds)
            .to_request(&[])
            .expect("valid");
        assert_eq!(request.scan_time, "18:10:00");
        // What is typed is what is sent; a one-digit hour gets its zero.
        let mut draft = Draft::from_task(&task);
        for (typed, sent) in [
            ("21:30", "21:30"),
            ("21:30:15", "21:30:15"),
            ("3:05", "03:05"),
        ] {
            draft.time = typed.into();
            assert_eq!(draft.to_request(&[]).expect("valid").scan_time, sent);
        }
    }

    #[test]
    fn registry_kinds_the_form_has_no_box_for_are_kept() {
        let mut task = seeded();
        task.registry_type = vec!["tcr".into(), "quay".into(), "brand-new".into()];
        assert_eq!(registry_type_label("quay"), "Quay");
        assert_eq!(registry_type_label("brand-new"), "brand-new");
        let mut draft = Draft::from_task(&task);
        assert_eq!(
            draft.other_registries,
            [("quay".to_owned(), true), ("brand-new".to_owned(), true)]
        );
        let request = draft.to_request(&[]).expect("valid");
        assert_eq!(
            request.registry_type,
            Some(vec!["tcr".into(), "quay".into(), "brand-new".into()])
        );
        draft.other_registries[0].1 = false;
        let request = draft.to_request(&[]).expect("valid");
        assert_eq!(
            request.registry_type,
            Some(vec!["tcr".into(), "brand-new".into()])
        );
    }

    #[test]
    fn the_form_names_the_field_it_gets_wrong() {
        let draft = Draft::from_task(&seeded());
        let field = |edit: fn(&mut Draft)| {
            let mut d = draft.clone();
            edit(&mut d);
            d.to_request(&[]).map(|_| ()).map_err(|e| e.field)
        };
        assert_eq!(field(|_| {}), Ok(()));
        assert_eq!(field(|d| d.time = "25:00".into()), Err("ScanTime".into()));
        assert_eq!(field(|d| d.time = "3:00".into()), Ok(()));
        assert_eq!(field(|d| d.time = String::new()), Err("ScanTime".into()));
        assert_eq!(
            field(|d| d.end_time = "7pm".into()),
            Err("ScanEndTime".into())
        );
        assert_eq!(field(|d| d.period = "0".into()), Err("ScanPeriod".into()));
        assert_eq!(field(|d| d.period = "366".into()), Err("ScanPeriod".into()));
        assert_eq!(
            field(|d| d.period = "weekly".into()),
            Err("ScanPeriod".into())
        );
        assert_eq!(
            field(|d| {
                d.cve = false;
                d.virus = false;
            }),
            Err("ScanType".into())
        );
        assert_eq!(field(|d| d.scope = "1".into()), Err("Images".into()));
        assert_eq!(
            field(|d| {
                d.scope = "1".into();
                d.images = "payments/api:v1\n\n17".into();
            }),
            Ok(())
        );
        assert_eq!(
            field(|d| d.images = "just-a-name".into()),
            Err("Images".into())
        );
        assert_eq!(field(|d| d.images = "ns/name".into()), Err("Images".into()));
        assert_eq!(
            field(|d| d.exclude = "1, x".into()),
            Err("ExcludeImageAssetIds".into())
        );
        let mut d = draft.clone();
        d.time = "25:00".into();
        assert_eq!(
            d.to_request(&[]).unwrap_err().message,
            "enter a time of day as HH:MM or HH:MM:SS, 00:00 to 23:59 (got “25:00”)"
        );
        assert_eq!(
            d.to_request_in(Locale::es, &[]).unwrap_err().message,
            "escribe una hora con el formato HH:MM o HH:MM:SS, de 00:00 a 23:59 (se recibió «25:00»)"
        );
        d.time = "03:00".into();
        d.images = "just-a-name".into();
        assert_eq!(
            d.to_request(&[]).unwrap_err().message,
            "line 1: write namespace/name:tag or an image asset ID (got “just-a-name”)"
        );
    }
}
