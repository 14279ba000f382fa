//! The README's sample outputs are captured from the real binary: each fenced block after a
//! `<!-- sample: ARGS -->` marker must equal what `expiry-doctor ARGS` prints today. ARGS may
//! start with `NAME=value` words (the sample's environment) and `expiry-doctor`.

use crate::common::*;

#[test]
fn readme_samples_match_the_binary() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut checked = 0;
    let mut rest = readme.as_str();
    while let Some(at) = rest.find("<!-- sample: ") {
        rest = &rest[at + "<!-- sample: ".len()..];
        let (args, tail) = rest.split_once(" -->").unwrap();
        let body = tail.split_once("```text\n").unwrap().1;
        let (block, after) = body.split_once("```\n").unwrap();
        rest = after;
        // Leading `NAME=value` words are the sample's environment, as a shell reads them.
        let words: Vec<&str> = args.split_whitespace().collect();
        let split = words
            .iter()
            .position(|w| !w.split_once('=').is_some_and(|(k, _)| is_var_name(k)))
            .unwrap_or(words.len());
        let (vars, argv) = words.split_at(split);
        let argv = argv.strip_prefix(&["expiry-doctor"]).unwrap_or(argv);
        let mut h = Home::new();
        for v in vars {
            let (k, val) = v.split_once('=').unwrap();
            h.set(k, val);
        }
        let out = h.cmd().args(argv).current_dir(root).output().unwrap();
        let printed = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            printed, block,
            "README sample for `{args}` drifted; paste the new output"
        );
        checked += 1;
    }
    assert!(checked >= 2, "the README shows sample outputs");
}

fn is_var_name(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
