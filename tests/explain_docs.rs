//! `docs/reference/` is rendered from the code's registry (`expiry_doctor::explain`): this test
//! fails when the docs are out of date. `EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test
//! explain_docs` rewrites them; commit the result.

use expiry_doctor::explain;
use std::path::PathBuf;

#[test]
fn reference_docs_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/reference");
    let mut want: Vec<(PathBuf, String)> =
        vec![(root.join("README.md"), explain::index_markdown())];
    for e in explain::all() {
        want.push((
            root.join(e.kind.folder()).join(format!("{}.md", e.id)),
            explain::markdown(&e),
        ));
    }
    let update = std::env::var_os("EXPIRY_DOCTOR_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, text) in &want {
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // No page may outlive its id.
    for dir in ["checks", "fixes", "triage-classes"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if !want.iter().any(|(p, _)| *p == path) {
                if update {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} (no such id)", path.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/reference is out of date; run EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test explain_docs:\n{}",
        stale.join("\n")
    );
}
