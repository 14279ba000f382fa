//! The README's sample outputs are captured from the real binary: each fenced block after a
//! `<!-- sample: ARGS -->` marker must equal what `expiry-doctor ARGS` prints today.

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
        let out = Home::new()
            .cmd()
            .args(args.split_whitespace())
            .current_dir(root)
            .output()
            .unwrap();
        let printed = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            printed, block,
            "README sample for `{args}` drifted; paste the new output"
        );
        checked += 1;
    }
    assert!(checked >= 2, "the README shows sample outputs");
}
