//! Generates the `i18n` module (locale enum, keys, `t!` macros) from the
//! JSON files in `locales/`, so a missing key fails the build.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    // English first: it is the default and the fallback of negotiation.
    // `interpolate_display`: `t_string!` with values, for text built in code.
    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new("en")?
        .add_locales(["es", "zh"])?
        .parse_options(options);
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
