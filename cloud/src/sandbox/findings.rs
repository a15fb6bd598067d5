//! What the sandbox's scans found: each scanned image's vulnerabilities,
//! drawn from one catalogue of real CVEs so that the same CVE affects many
//! images, and exactly as many as the image's counts say (an HSS image
//! with `vul_num` 19 lists 19; a TCSS image lists its critical, high,
//! medium and low counts). The list depends only on the image, so every
//! look at it agrees.

use super::SandboxState;
use super::hss_api::{invalid, inventory, ok_json, query};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use scanport_wire::findings::Severity;
use scanport_wire::hss::{ImageVulnerabilities, ImageVulnerabilitiesRequest, ImageVulnerability};
use scanport_wire::tcss::{ComponentInfo, ImageVul, RegistryImage};
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
struct Finding {
    id: String,
    package: &'static str,
    version: &'static str,
    fixed: &'static str,
    severity: Severity,
    cvss: &'static str,
    title: String,
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

/// `GET /v5/{project_id}/image/{image_id}/vulnerabilities`: the image's
/// findings, filtered and paged as the service does. An image the account
/// does not have has none.
pub(super) async fn hss_image_vulnerabilities(
    State(state): State<Arc<SandboxState>>,
    Path((_project, image_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    // The query as the service reads it: numbers from text, the path's id.
    let pairs: Vec<(String, String)> = match query(&request) {
        Ok(pairs) => pairs,
        Err(rejection) => return rejection,
    };
    let mut map = serde_json::Map::new();
    map.insert("image_id".into(), image_id.clone().into());
    for (name, value) in pairs {
        let value = match name.as_str() {
            "offset" | "limit" => value
                .parse::<i64>()
                .map_or_else(|_| value.into(), Into::into),
            _ => value.into(),
        };
        map.insert(name, value);
    }
    let mut req: ImageVulnerabilitiesRequest = match serde_json::from_value(map.into()) {
        Ok(req) => req,
        Err(err) => return invalid(err),
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let total = inventory(&state)
        .images
        .iter()
        .find(|i| i.image_id.as_deref() == Some(image_id.as_str()))
        .map_or(0, |i| usize::try_from(i.vul_num.unwrap_or(0)).unwrap_or(0));
    let seed = seed_of(&image_id);
    let all: Vec<ImageVulnerability> = hss_findings(seed, total)
        .into_iter()
        .enumerate()
        .map(|(n, f)| ImageVulnerability {
            vul_id: Some(f.id.clone()),
            repair_necessity: Some(repair_necessity(f.severity).to_owned()),
            description: Some(f.title.clone()),
            position: Some(format!("sha256:{:012x}", seed.wrapping_add(n as u64 % 3))),
            app_name: Some(f.package.to_owned()),
            app_path: f
                .package
                .contains('.')
                .then(|| format!("/app/{}", f.package)),
            version: Some(f.version.to_owned()),
            solution: Some(if f.fixed.is_empty() {
                "No fixed version has been released yet; watch the vendor's advisory.".to_owned()
            } else {
                format!("Upgrade {} to {} or later.", f.package, f.fixed)
            }),
            url: Some(format!("https://nvd.nist.gov/vuln/detail/{}", f.id)),
        })
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
    .map(|(level, f)| ImageVul {
        cve_id: Some(f.id.clone()),
        name: Some(f.title.clone()),
        components: vec![ComponentInfo {
            component: Some(f.package.to_owned()),
            version: Some(f.version.to_owned()),
            fixed_version: (!f.fixed.is_empty()).then(|| f.fixed.to_owned()),
            path: Some(format!("/var/lib/dpkg/status#{}", f.package)),
            r#type: Some("system".to_owned()),
            name: Some(f.package.to_owned()),
        }],
        category: Some("system".to_owned()),
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
        ..ImageVul::default()
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
}
