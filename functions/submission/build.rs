//! Embeds every form description in `forms/` (one JSON file per procedure),
//! so adding a form is adding a file.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("forms");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect())
        .unwrap_or_default();
    entries.sort();
    let mut out = String::from("/// (procedure code, form JSON) for every file in forms/.\npub const FORMS: &[(&str, &str)] = &[\n");
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let code = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name");
        out.push_str(&format!("    ({code:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("forms.rs"), out).unwrap();
}
